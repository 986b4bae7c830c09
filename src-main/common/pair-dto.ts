/** One pair of a dataset as the doors show it (core/store/datasets.ts PairRow, as stored). */
export interface PairDto {
  id: number;
  ord: number;
  source: string;
  target: string;
  tags: string;
  notes: string;
  meta: string;
  updated_at: string;
}
