-- AlterTable
ALTER TABLE "AuditLog" ADD COLUMN     "projectId" TEXT,
ADD COLUMN     "source" TEXT;

-- AlterTable
ALTER TABLE "Cloud" ADD COLUMN     "signInDomains" TEXT;

-- AlterTable
ALTER TABLE "LoginFailure" ADD COLUMN     "source" TEXT;

-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'local';

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "twoPersonTeardown" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "disabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "keystoneCloudId" TEXT,
ADD COLUMN     "keystoneUserId" TEXT,
ADD COLUMN     "sessionVersion" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'local';

-- CreateIndex
CREATE INDEX "AuditLog_projectId_at_idx" ON "AuditLog"("projectId", "at");

-- CreateIndex
CREATE INDEX "LoginFailure_source_at_idx" ON "LoginFailure"("source", "at");

-- CreateIndex
CREATE INDEX "LoginFailure_at_idx" ON "LoginFailure"("at");

