import { LoginForm } from "@/app/ui/login-form";
import { safeCallbackPath } from "@/lib/data";

export const dynamic = "force-dynamic";

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { callbackUrl } = await searchParams;
  // Only a path of this site: //host, /\host and absolute URLs elsewhere go to the clusters page instead.
  const next = safeCallbackPath(typeof callbackUrl === "string" ? callbackUrl : undefined);
  return <LoginForm next={next} />;
}
