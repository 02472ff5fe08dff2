-- DropIndex
DROP INDEX "Cluster_projectId_name_idx";

-- DropIndex
DROP INDEX "Cluster_projectId_createdAt_idx";

-- DropIndex
DROP INDEX "Cluster_projectId_status_idx";

-- CreateIndex
CREATE INDEX "Cluster_projectId_name_id_idx" ON "Cluster"("projectId", "name", "id");

-- CreateIndex
CREATE INDEX "Cluster_projectId_createdAt_id_idx" ON "Cluster"("projectId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "Cluster_projectId_status_id_idx" ON "Cluster"("projectId", "status", "id");

