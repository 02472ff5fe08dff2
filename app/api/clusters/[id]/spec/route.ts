// A draft's or cluster's spec as JSON, secrets left out (installer configs as @file references).
import { specExportRoute } from "@/lib/data";

export const GET = specExportRoute;
