-- AlterTable
ALTER TABLE "Application" ADD COLUMN     "anonymisedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "ApplicationDocument" ADD COLUMN     "fileDeletedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Cohort" ADD COLUMN     "anonymiseAfterMonths" INTEGER NOT NULL DEFAULT 24,
ADD COLUMN     "documentRetentionMonths" INTEGER NOT NULL DEFAULT 6;

-- AlterTable
ALTER TABLE "Interview" ADD COLUMN     "cancelledAt" TIMESTAMP(3);
