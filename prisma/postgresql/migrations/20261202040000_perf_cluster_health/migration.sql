-- CreateTable
CREATE TABLE "ClusterHealth" (
    "clusterId" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "operationId" TEXT,
    "operationKind" TEXT,
    "operationStatus" TEXT,
    "operationBy" TEXT,
    "operationError" TEXT,
    "currentStep" TEXT,
    "presentResources" INTEGER NOT NULL DEFAULT 0,
    "vipStatus" TEXT,
    "vipJson" TEXT,
    "vipHeardAt" TIMESTAMP(3),
    "vipComputedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ClusterHealth_pkey" PRIMARY KEY ("clusterId")
);

-- CreateIndex
CREATE INDEX "ClusterHealth_operationStatus_idx" ON "ClusterHealth"("operationStatus");

-- CreateIndex
CREATE INDEX "ClusterHealth_vipStatus_idx" ON "ClusterHealth"("vipStatus");

-- CreateIndex
CREATE INDEX "AuditLog_actor_at_idx" ON "AuditLog"("actor", "at");

-- CreateIndex
CREATE INDEX "AuditLog_action_at_idx" ON "AuditLog"("action", "at");

-- CreateIndex
CREATE INDEX "Cluster_createdAt_idx" ON "Cluster"("createdAt");

-- CreateIndex
CREATE INDEX "Cluster_name_idx" ON "Cluster"("name");

-- CreateIndex
CREATE INDEX "Cluster_status_createdAt_idx" ON "Cluster"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Cluster_projectId_createdAt_idx" ON "Cluster"("projectId", "createdAt");

-- CreateIndex
CREATE INDEX "Cluster_projectId_status_idx" ON "Cluster"("projectId", "status");

-- CreateIndex
CREATE INDEX "Event_at_idx" ON "Event"("at");

-- AddForeignKey
ALTER TABLE "ClusterHealth" ADD CONSTRAINT "ClusterHealth_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Backfill: one health row per existing cluster from its latest operation (the VIP part fills in at the next
-- agent message).
INSERT INTO "ClusterHealth" ("clusterId", "version", "operationId", "operationKind", "operationStatus", "operationBy", "operationError", "currentStep", "presentResources", "updatedAt")
SELECT c."id", 1, o."id", o."kind", o."status", u."username", substr(o."error", 1, 500),
    (SELECT s."name" FROM "Step" s WHERE s."operationId" = o."id" AND s."status" = 'running' ORDER BY s."position" LIMIT 1),
    (SELECT count(*) FROM "Resource" r WHERE r."clusterId" = c."id" AND r."status" = 'present'),
    c."updatedAt"
FROM "Cluster" c
LEFT JOIN "Operation" o ON o."id" = (SELECT o2."id" FROM "Operation" o2 WHERE o2."clusterId" = c."id" ORDER BY o2."createdAt" DESC LIMIT 1)
LEFT JOIN "User" u ON u."id" = o."requestedById";
