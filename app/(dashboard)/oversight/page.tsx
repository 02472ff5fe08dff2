import { OversightTable } from "@/app/ui/oversight-table";
import { Heading } from "@/app/ui/title";
import { orNotFound, oversight } from "@/lib/data";

export const dynamic = "force-dynamic";
export const metadata = { title: "Oversight · Tripod" };

export default async function OversightPage() {
  const data = await orNotFound(oversight());
  return (
    <>
      <Heading>Team oversight</Heading>
      <OversightTable data={data} />
    </>
  );
}
