import { Heading } from "@/app/ui/title";
import { ActionForm } from "@/app/ui/action-form";
import { navigation, PASSWORD_RULES } from "@/lib/data";
import { changePasswordAction } from "./actions";

export const dynamic = "force-dynamic";

export default async function AccountPage() {
  const nav = await navigation();
  return (
    <>
      <Heading>Your account</Heading>
      <p>
        Signed in as <b>{nav.username}</b> ({nav.role}).
      </p>
      <ActionForm action={changePasswordAction} submit="Change password" testId="change-password">
        <Heading level={2}>Change password</Heading>
        <label>
          Current password
          <input name="currentPassword" type="password" autoComplete="current-password" required />
        </label>
        <label>
          New password
          <input name="newPassword" type="password" autoComplete="new-password" required />
        </label>
        <small className="empty">{PASSWORD_RULES}</small>
      </ActionForm>
    </>
  );
}
