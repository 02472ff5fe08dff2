import { authRouteHandler } from "@/lib/data";

export { authRouteHandler as GET, authRouteHandler as POST };
