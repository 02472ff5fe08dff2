export interface TagsResponse {
  tags: string[];
}
