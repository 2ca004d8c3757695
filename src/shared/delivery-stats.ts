/** What became of one update's alerts: counted by the push workers, shown on the dashboard. */
export interface DeliveryStats {
  targeted: number;
  sent: number;
  failed: number;
  pruned: number;
  /** Targeted and not settled yet: queued, being sent, or waiting to retry. */
  pending: number;
}
