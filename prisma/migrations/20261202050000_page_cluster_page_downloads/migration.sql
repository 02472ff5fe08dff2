-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN "kubeadminPasswordSealed" TEXT;

-- AlterTable
ALTER TABLE "ClusterHealth" ADD COLUMN "vipDegraded" INTEGER;
ALTER TABLE "ClusterHealth" ADD COLUMN "vipDown" INTEGER;
ALTER TABLE "ClusterHealth" ADD COLUMN "vipOk" INTEGER;

-- CreateTable
CREATE TABLE "TeardownRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clusterId" TEXT NOT NULL,
    "requestedById" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "decidedById" TEXT,
    "decidedAt" DATETIME,
    "operationId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "TeardownRequest_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "TeardownRequest_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "TeardownRequest_decidedById_fkey" FOREIGN KEY ("decidedById") REFERENCES "User" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "TeardownRequest_clusterId_status_idx" ON "TeardownRequest"("clusterId", "status");

-- CreateIndex
CREATE INDEX "TeardownRequest_status_idx" ON "TeardownRequest"("status");

