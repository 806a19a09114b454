-- AlterTable
ALTER TABLE "GroupParticipant" ADD COLUMN     "confirmedAt" TIMESTAMP(3),
ADD COLUMN     "proposedById" INTEGER;

-- AlterTable
ALTER TABLE "Training" ADD COLUMN     "days" DATE[],
ADD COLUMN     "daysReason" TEXT;

-- CreateTable
CREATE TABLE "ProtocolAttachment" (
    "id" TEXT NOT NULL,
    "protocolId" INTEGER NOT NULL,
    "originalName" TEXT NOT NULL,
    "storedName" TEXT NOT NULL,
    "mimeType" TEXT NOT NULL,
    "sizeBytes" INTEGER NOT NULL,
    "sha256" CHAR(64) NOT NULL,
    "uploadedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProtocolAttachment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ProtocolAttachment_storedName_key" ON "ProtocolAttachment"("storedName");

-- CreateIndex
CREATE INDEX "ProtocolAttachment_protocolId_idx" ON "ProtocolAttachment"("protocolId");

-- AddForeignKey
ALTER TABLE "ProtocolAttachment" ADD CONSTRAINT "ProtocolAttachment_protocolId_fkey" FOREIGN KEY ("protocolId") REFERENCES "SessionProtocol"("id") ON DELETE CASCADE ON UPDATE CASCADE;
