-- Several live status links per application: every link ever e-mailed keeps working until the
-- application's links expire or it is withdrawn. The link each application has today is kept.

-- CreateTable
CREATE TABLE "ApplicationStatusLink" (
    "id" SERIAL NOT NULL,
    "applicationId" INTEGER NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ApplicationStatusLink_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ApplicationStatusLink_tokenHash_key" ON "ApplicationStatusLink"("tokenHash");

-- CreateIndex
CREATE INDEX "ApplicationStatusLink_applicationId_idx" ON "ApplicationStatusLink"("applicationId");

-- AddForeignKey
ALTER TABLE "ApplicationStatusLink" ADD CONSTRAINT "ApplicationStatusLink_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The current links move into the new table (a withdrawn application's link ends, as it now would).
INSERT INTO "ApplicationStatusLink" ("applicationId", "tokenHash", "purpose", "createdAt")
SELECT "id", "statusTokenHash", 'submitted', "submittedAt" FROM "Application" WHERE "status" <> 'WITHDRAWN';

-- DropIndex
DROP INDEX "Application_statusTokenHash_key";

-- AlterTable
ALTER TABLE "Application" DROP COLUMN "statusTokenHash";
