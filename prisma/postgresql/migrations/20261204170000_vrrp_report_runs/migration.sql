-- AlterTable
ALTER TABLE "VrrpReport" ADD COLUMN     "firstSentAt" TIMESTAMP(3);

