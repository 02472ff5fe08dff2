-- CreateTable
CREATE TABLE "WorkerHeartbeat" (
    "owner" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WorkerHeartbeat_pkey" PRIMARY KEY ("owner")
);

-- CreateTable
CREATE TABLE "MetricCounter" (
    "name" TEXT NOT NULL,
    "labels" TEXT NOT NULL,
    "value" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "MetricCounter_pkey" PRIMARY KEY ("name","labels")
);

