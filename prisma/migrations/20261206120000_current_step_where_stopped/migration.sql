-- The summary's step of an operation that failed or was cancelled: the step where it stopped (its status is the
-- operation's), as lib/cluster-health.ts refreshOperationHealth now keeps it.
UPDATE "ClusterHealth" SET "currentStep" = (
  SELECT s."name" FROM "Step" s
  WHERE s."operationId" = "ClusterHealth"."operationId" AND s."status" = "ClusterHealth"."operationStatus"
  ORDER BY s."position" DESC LIMIT 1
)
WHERE "operationStatus" IN ('failed', 'cancelled');
