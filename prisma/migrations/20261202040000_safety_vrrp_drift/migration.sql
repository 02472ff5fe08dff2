-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN "publicNetworkId" TEXT;
ALTER TABLE "Cluster" ADD COLUMN "resolvedSpecJson" TEXT;

-- CreateTable
CREATE TABLE "VrrpRouterId" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "scope" TEXT NOT NULL,
    "networkId" TEXT NOT NULL,
    "routerId" INTEGER NOT NULL,
    "clusterId" TEXT NOT NULL,
    "vip" TEXT NOT NULL,
    CONSTRAINT "VrrpRouterId_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DriftFinding" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "cloudId" TEXT NOT NULL,
    "clusterId" TEXT,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "resourceKind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "openstackId" TEXT,
    "detail" TEXT NOT NULL,
    "firstSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "DriftFinding_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "VipCheck" (
    "clusterId" TEXT NOT NULL PRIMARY KEY,
    "probesJson" TEXT,
    "unreachableReason" TEXT,
    "neutronJson" TEXT,
    "checkedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "VrrpRouterId_clusterId_idx" ON "VrrpRouterId"("clusterId");

-- CreateIndex
CREATE UNIQUE INDEX "VrrpRouterId_scope_networkId_routerId_key" ON "VrrpRouterId"("scope", "networkId", "routerId");

-- CreateIndex
CREATE INDEX "DriftFinding_clusterId_idx" ON "DriftFinding"("clusterId");

-- CreateIndex
CREATE UNIQUE INDEX "DriftFinding_cloudId_key_key" ON "DriftFinding"("cloudId", "key");

