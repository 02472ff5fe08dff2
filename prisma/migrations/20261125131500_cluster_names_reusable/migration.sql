-- DropIndex
DROP INDEX "Cluster_projectId_name_key";

-- CreateIndex
CREATE INDEX "Cluster_projectId_name_idx" ON "Cluster"("projectId", "name");

