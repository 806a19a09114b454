-- AlterTable
ALTER TABLE "Cohort" ADD COLUMN     "contactEmail" TEXT,
ADD COLUMN     "contactPhone" TEXT;

-- AlterTable
ALTER TABLE "Region" ADD COLUMN     "contactEmail" TEXT,
ADD COLUMN     "contactPhone" TEXT;
