-- CreateTable
CREATE TABLE "WorkerHeartbeat" (
    "owner" TEXT NOT NULL PRIMARY KEY,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "MetricCounter" (
    "name" TEXT NOT NULL,
    "labels" TEXT NOT NULL,
    "value" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("name", "labels")
);

