-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN "kubeadminPasswordSealed" TEXT;

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

-- AlterTable (a plain ADD COLUMN: SQLite accepts NOT NULL with a constant default, no table redefinition)
ALTER TABLE "Project" ADD COLUMN "twoPersonTeardown" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "TeardownRequest_clusterId_status_idx" ON "TeardownRequest"("clusterId", "status");

