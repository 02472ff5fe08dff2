import { openApiRoute } from "@/lib/data";

// The automation API's OpenAPI 3.1 document.
export const GET = openApiRoute;
