-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'member',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Project" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "openstackProjectId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Project_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'member',

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Cloud" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "authUrl" TEXT NOT NULL,
    "region" TEXT,
    "interface" TEXT NOT NULL DEFAULT 'public',
    "caBundle" TEXT,
    "credentialsSealed" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Cloud_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Cluster" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "cloudId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "specJson" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "infraId" TEXT NOT NULL,
    "vrrpApiId" INTEGER,
    "vrrpIngressId" INTEGER,
    "vrrpSecretSealed" TEXT,
    "authPassSealed" TEXT,
    "kubeconfigSealed" TEXT,
    "bootstrapCompletedAt" TIMESTAMP(3),
    "bootstrapCompletedBy" TEXT,
    "createdById" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Cluster_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VrrpIdAllocation" (
    "id" TEXT NOT NULL,
    "cloudId" TEXT NOT NULL,
    "publicNetwork" TEXT NOT NULL,
    "routerId" INTEGER NOT NULL,
    "clusterId" TEXT NOT NULL,
    "vip" TEXT NOT NULL,

    CONSTRAINT "VrrpIdAllocation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Operation" (
    "id" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "activeClusterId" TEXT,
    "requestedById" TEXT NOT NULL,
    "approvedById" TEXT,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "leaseOwner" TEXT,
    "leaseExpiresAt" TIMESTAMP(3),
    "heartbeatAt" TIMESTAMP(3),
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Operation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Step" (
    "id" TEXT NOT NULL,
    "operationId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "error" TEXT,
    "outputsJson" TEXT,
    "apiCalls" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Step_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Resource" (
    "id" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "openstackId" TEXT,
    "networkRole" TEXT,
    "node" TEXT,
    "status" TEXT NOT NULL DEFAULT 'planned',
    "lastSeenAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Resource_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Event" (
    "id" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "operationId" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "level" TEXT NOT NULL,
    "step" TEXT,
    "message" TEXT NOT NULL,

    CONSTRAINT "Event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditLog" (
    "id" TEXT NOT NULL,
    "actorId" TEXT,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "detail" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LoginFailure" (
    "id" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LoginFailure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VrrpReport" (
    "id" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "keepalivedVersion" TEXT,
    "snapshotJson" TEXT NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VrrpReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VrrpTransition" (
    "id" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "instance" TEXT NOT NULL,
    "vip" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "priority" INTEGER,
    "at" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VrrpTransition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VrrpNonce" (
    "id" TEXT NOT NULL,
    "clusterId" TEXT NOT NULL,
    "node" TEXT NOT NULL,
    "nonce" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VrrpNonce_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_username_key" ON "User"("username");

-- CreateIndex
CREATE UNIQUE INDEX "Project_name_key" ON "Project"("name");

-- CreateIndex
CREATE INDEX "Membership_projectId_idx" ON "Membership"("projectId");

-- CreateIndex
CREATE UNIQUE INDEX "Membership_userId_projectId_key" ON "Membership"("userId", "projectId");

-- CreateIndex
CREATE UNIQUE INDEX "Cloud_projectId_name_key" ON "Cloud"("projectId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Cluster_infraId_key" ON "Cluster"("infraId");

-- CreateIndex
CREATE INDEX "Cluster_projectId_name_idx" ON "Cluster"("projectId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "VrrpIdAllocation_cloudId_publicNetwork_routerId_key" ON "VrrpIdAllocation"("cloudId", "publicNetwork", "routerId");

-- CreateIndex
CREATE UNIQUE INDEX "Operation_activeClusterId_key" ON "Operation"("activeClusterId");

-- CreateIndex
CREATE INDEX "Operation_clusterId_createdAt_idx" ON "Operation"("clusterId", "createdAt");

-- CreateIndex
CREATE INDEX "Operation_status_idx" ON "Operation"("status");

-- CreateIndex
CREATE UNIQUE INDEX "Step_operationId_name_key" ON "Step"("operationId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Resource_clusterId_kind_name_key" ON "Resource"("clusterId", "kind", "name");

-- CreateIndex
CREATE INDEX "Event_clusterId_at_idx" ON "Event"("clusterId", "at");

-- CreateIndex
CREATE INDEX "AuditLog_at_idx" ON "AuditLog"("at");

-- CreateIndex
CREATE INDEX "LoginFailure_username_at_idx" ON "LoginFailure"("username", "at");

-- CreateIndex
CREATE INDEX "VrrpReport_clusterId_node_sentAt_idx" ON "VrrpReport"("clusterId", "node", "sentAt");

-- CreateIndex
CREATE INDEX "VrrpTransition_clusterId_at_idx" ON "VrrpTransition"("clusterId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "VrrpTransition_clusterId_node_instance_at_state_key" ON "VrrpTransition"("clusterId", "node", "instance", "at", "state");

-- CreateIndex
CREATE INDEX "VrrpNonce_clusterId_node_receivedAt_idx" ON "VrrpNonce"("clusterId", "node", "receivedAt");

-- CreateIndex
CREATE INDEX "VrrpNonce_receivedAt_idx" ON "VrrpNonce"("receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "VrrpNonce_clusterId_nonce_key" ON "VrrpNonce"("clusterId", "nonce");

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Cloud" ADD CONSTRAINT "Cloud_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Cluster" ADD CONSTRAINT "Cluster_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Cluster" ADD CONSTRAINT "Cluster_cloudId_fkey" FOREIGN KEY ("cloudId") REFERENCES "Cloud"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Cluster" ADD CONSTRAINT "Cluster_createdById_fkey" FOREIGN KEY ("createdById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VrrpIdAllocation" ADD CONSTRAINT "VrrpIdAllocation_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Operation" ADD CONSTRAINT "Operation_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Operation" ADD CONSTRAINT "Operation_requestedById_fkey" FOREIGN KEY ("requestedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Operation" ADD CONSTRAINT "Operation_approvedById_fkey" FOREIGN KEY ("approvedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Step" ADD CONSTRAINT "Step_operationId_fkey" FOREIGN KEY ("operationId") REFERENCES "Operation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Resource" ADD CONSTRAINT "Resource_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Event" ADD CONSTRAINT "Event_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VrrpReport" ADD CONSTRAINT "VrrpReport_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VrrpTransition" ADD CONSTRAINT "VrrpTransition_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "Cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

