-- AlterTable
ALTER TABLE "Application" ADD COLUMN     "resultScore" DECIMAL(5,3),
ADD COLUMN     "scoreCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "scoreSpread" DECIMAL(5,3);

-- CreateIndex
CREATE INDEX "Application_cohortId_regionId_resultScore_idx" ON "Application"("cohortId", "regionId", "resultScore");
