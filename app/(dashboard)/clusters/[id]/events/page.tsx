import Link from "@/app/ui/link";
import { Heading } from "@/app/ui/title";
import { clusterEvents, EVENT_LEVELS, EVENT_STEPS, orNotFound, withoutRefusedFilters } from "@/lib/data";
import { RefusedFilters } from "@/app/ui/page-parts";
import { EventFilters, EventList } from "@/app/ui/cluster/events";
import { Pager } from "@/app/ui/pager";
import { redirectPastLastPage } from "@/app/ui/last-page";

export const dynamic = "force-dynamic";
export const metadata = { title: "Events · Tripod" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ClusterEventsPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: SearchParams }) {
  const { id } = await params;
  const query = await searchParams;
  const { view: events, refused } = await orNotFound(withoutRefusedFilters(query, (filters) => clusterEvents(id, filters)));
  redirectPastLastPage(`/clusters/${id}/events`, query, { info: events });
  return (
    <>
      <Heading>Events of {events.cluster}</Heading>
      <RefusedFilters refused={refused} />
      <p>
        <Link href={`/clusters/${id}`}>Back to the cluster</Link>
      </p>
      <EventFilters steps={EVENT_STEPS} levels={EVENT_LEVELS} step={events.filters.step} level={events.filters.level} />
      <EventList events={events.rows} />
      <Pager info={events} testId="events-pager" />
    </>
  );
}
