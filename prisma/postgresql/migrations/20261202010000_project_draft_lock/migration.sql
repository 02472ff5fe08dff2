-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "clustersDrafted" INTEGER NOT NULL DEFAULT 0;

