-- CreateTable
CREATE TABLE "VrrpNonce" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "clusterId" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "VrrpNonce_clusterId_node_receivedAt_idx" ON "VrrpNonce"("clusterId", "node", "receivedAt");

-- CreateIndex
CREATE INDEX "VrrpNonce_receivedAt_idx" ON "VrrpNonce"("receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "VrrpNonce_clusterId_nonce_key" ON "VrrpNonce"("clusterId", "nonce");

-- CreateIndex
CREATE UNIQUE INDEX "VrrpTransition_clusterId_node_instance_at_state_key" ON "VrrpTransition"("clusterId", "node", "instance", "at", "state");

