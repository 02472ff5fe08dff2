import { OversightTable } from "@/app/ui/oversight-table";
import { Heading } from "@/app/ui/title";
import { driftOversight, orNotFound, oversight, withoutRefusedFilters } from "@/lib/data";
import { RefusedFilters } from "@/app/ui/page-parts";
import { DriftControls, DriftTable } from "@/app/ui/drift";
import { Pager } from "@/app/ui/pager";
import { redirectPastLastPage } from "@/app/ui/last-page";

export const dynamic = "force-dynamic";
export const metadata = { title: "Oversight · Tripod" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function OversightPage({ searchParams }: { searchParams: SearchParams }) {
  // independent reads: on PostgreSQL their round trips overlap
  const query = await searchParams;
  const [{ view: data, refused }, drift] = await Promise.all([orNotFound(withoutRefusedFilters(query, oversight)), orNotFound(driftOversight())]);
  redirectPastLastPage("/oversight", query, { info: data.page });
  return (
    <>
      <Heading>Team oversight</Heading>
      <RefusedFilters refused={refused} />
      <OversightTable data={data} />
      <Pager info={data.page} testId="oversight-pager" />
      <Heading level={2}>Drift and orphans</Heading>
      <DriftControls clouds={drift.clouds} />
      <DriftTable rows={drift.rows} showCluster />
    </>
  );
}
