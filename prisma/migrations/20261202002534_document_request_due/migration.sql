-- AlterTable
ALTER TABLE "DocumentRequest" ADD COLUMN     "dueAt" TIMESTAMP(3);
