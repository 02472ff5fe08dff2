-- Accounts (issue 14): disabled users and session versions, Keystone users and memberships, two-person teardown,
-- Keystone sign-in domains of a cloud, the audit entry's project and source address, the per-address sign-in limit.
-- `prisma migrate diff` (from main's schema to this one) with its table redefinitions of User, Project and
-- Membership written as the equivalent ADD COLUMNs (SQLite takes NOT NULL with a constant default), so other
-- branches' columns on those tables survive.

-- AlterTable
ALTER TABLE "User" ADD COLUMN "disabled" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "User" ADD COLUMN "sessionVersion" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "User" ADD COLUMN "source" TEXT NOT NULL DEFAULT 'local';
ALTER TABLE "User" ADD COLUMN "keystoneCloudId" TEXT;
ALTER TABLE "User" ADD COLUMN "keystoneUserId" TEXT;

-- AlterTable
ALTER TABLE "Project" ADD COLUMN "twoPersonTeardown" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "Membership" ADD COLUMN "source" TEXT NOT NULL DEFAULT 'local';

-- AlterTable
ALTER TABLE "Cloud" ADD COLUMN "signInDomains" TEXT;

-- AlterTable
ALTER TABLE "AuditLog" ADD COLUMN "projectId" TEXT;
ALTER TABLE "AuditLog" ADD COLUMN "source" TEXT;

-- AlterTable
ALTER TABLE "LoginFailure" ADD COLUMN "source" TEXT;

-- CreateIndex
CREATE INDEX "AuditLog_projectId_at_idx" ON "AuditLog"("projectId", "at");

-- CreateIndex
CREATE INDEX "LoginFailure_source_at_idx" ON "LoginFailure"("source", "at");

-- CreateIndex
CREATE INDEX "LoginFailure_at_idx" ON "LoginFailure"("at");
