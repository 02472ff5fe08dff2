-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN "bootstrapCompletedAt" DATETIME;
ALTER TABLE "Cluster" ADD COLUMN "bootstrapCompletedBy" TEXT;
ALTER TABLE "Cluster" ADD COLUMN "kubeconfigSealed" TEXT;

