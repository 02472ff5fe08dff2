-- AlterTable
ALTER TABLE "VrrpReport" ADD COLUMN "firstSentAt" DATETIME;

