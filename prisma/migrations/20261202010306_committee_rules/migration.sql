-- AlterTable
ALTER TABLE "Decision" ADD COLUMN     "changeReason" TEXT,
ADD COLUMN     "changedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Interview" ADD COLUMN     "heldAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Score" ADD COLUMN     "revisedAfterSeeingOthersAt" TIMESTAMP(3);
