/**
 * The composer's "Schedule" option: a checkbox that reveals a date and time in the editor's own
 * time zone. It answers the `publishAt` to send (ISO with the browser's offset), or none.
 */
import { ApiError } from './api.ts';
import { byId } from './dom.ts';
import { localInputIn, localToIsoWithOffset } from './schedule-time.ts';

/** The default time offered when the option is ticked: soon, and easy to adjust. */
const DEFAULT_MINUTES_AHEAD = 15;

export class ScheduleOption {
  private readonly toggle = byId('composer-schedule', HTMLInputElement);
  private readonly when = byId('composer-publish-at', HTMLInputElement);
  private readonly field = byId('composer-publish-at-field', HTMLElement);

  constructor(private readonly onChange: () => void) {
    this.toggle.addEventListener('change', () => {
      this.field.hidden = !this.toggle.checked;
      if (this.toggle.checked && !this.when.value) this.when.value = localInputIn(DEFAULT_MINUTES_AHEAD);
      this.onChange();
    });
  }

  /** The composer's button says what a submit will do. */
  get label(): string {
    return this.toggle.checked ? 'Schedule' : 'Publish';
  }

  /** undefined: publish now. Throws a VALIDATION_FAILED ApiError when ticked without a valid time. */
  publishAt(): string | undefined {
    if (!this.toggle.checked) return undefined;
    const iso = localToIsoWithOffset(this.when.value);
    if (!iso) {
      this.when.focus();
      throw new ApiError('VALIDATION_FAILED', 'Choose the date and time to publish at.', null);
    }
    return iso;
  }

  reset(): void {
    this.toggle.checked = false;
    this.when.value = '';
    this.field.hidden = true;
    this.onChange();
  }
}
