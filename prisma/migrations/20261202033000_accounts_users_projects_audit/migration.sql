-- Accounts (issue 14): disabled users and session versions, Keystone users and memberships, two-person teardown,
-- Keystone sign-in clouds, audit project and source address, per-address sign-in limit. Columns are only added
-- (no table redefinition), so this applies after any other branch's migration.
ALTER TABLE "User" ADD COLUMN "disabled" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "User" ADD COLUMN "sessionVersion" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "User" ADD COLUMN "source" TEXT NOT NULL DEFAULT 'local';
ALTER TABLE "User" ADD COLUMN "keystoneCloudId" TEXT;
ALTER TABLE "User" ADD COLUMN "keystoneUserId" TEXT;
ALTER TABLE "Project" ADD COLUMN "twoPersonTeardown" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Membership" ADD COLUMN "source" TEXT NOT NULL DEFAULT 'local';
ALTER TABLE "Cloud" ADD COLUMN "signInDomains" TEXT;
ALTER TABLE "AuditLog" ADD COLUMN "projectId" TEXT;
ALTER TABLE "AuditLog" ADD COLUMN "source" TEXT;
ALTER TABLE "LoginFailure" ADD COLUMN "source" TEXT;

CREATE INDEX "AuditLog_projectId_at_idx" ON "AuditLog"("projectId", "at");
CREATE INDEX "LoginFailure_source_at_idx" ON "LoginFailure"("source", "at");
CREATE INDEX "LoginFailure_at_idx" ON "LoginFailure"("at");
