-- AlterTable
ALTER TABLE "Cluster" ADD COLUMN     "publicNetworkId" TEXT,
ADD COLUMN     "resolvedSpecJson" TEXT;

-- CreateTable
CREATE TABLE "VrrpRouterId" (
    "id" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "networkId" TEXT NOT NULL,
    "routerId" INTEGER NOT NULL,
    "clusterId" TEXT NOT NULL,
    "vip" TEXT NOT NULL,

    CONSTRAINT "VrrpRouterId_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DriftFinding" (
    "id" TEXT NOT NULL,
    "cloudId" TEXT NOT NULL,
    "clusterId" TEXT,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "resourceKind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "openstackId" TEXT,
    "detail" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DriftFinding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VipCheck" (
    "clusterId" TEXT NOT NULL,
    "probesJson" TEXT,
    "unreachableReason" TEXT,
    "neutronJson" TEXT,
    "checkedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VipCheck_pkey" PRIMARY KEY ("clusterId")
);

-- CreateIndex
CREATE INDEX "VrrpRouterId_clusterId_idx" ON "VrrpRouterId"("clusterId");

-- CreateIndex
CREATE UNIQUE INDEX "VrrpRouterId_scope_networkId_routerId_key" ON "VrrpRouterId"("scope", "networkId", "routerId");

-- CreateIndex
CREATE INDEX "DriftFinding_clusterId_idx" ON "DriftFinding"("clusterId");

-- CreateIndex
CREATE UNIQUE INDEX "DriftFinding_cloudId_key_key" ON "DriftFinding"("cloudId", "key");

-- AddForeignKey
ALTER TABLE "VrrpRouterId" ADD CONSTRAINT "VrrpRouterId_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DriftFinding" ADD CONSTRAINT "DriftFinding_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

