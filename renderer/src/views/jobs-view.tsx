/**
 * Jobs: the core's background work (embedding passes, the nightly retrain, enrichment, backups) with
 * live progress from `job.progress` events, and pause, resume, cancel and "run nightly now".
 */
import { useStore } from 'zustand';
import type { Job } from '../../../shared/contract/domain';
import { type JobAction, createJobsStore } from '../stores/jobs';
import { useViewStore } from './use-view-store';
import './views.css';

const KIND_LABELS: Record<string, string> = {
  embed: 'Computing book vectors',
  nightly: 'Nightly retrain and batch recommendations',
  enrich: 'Estimating reading levels and page counts',
  backup: 'Backup',
};

const STATE_LABELS: Record<Job['state'], string> = {
  queued: 'Queued',
  running: 'Running',
  paused: 'Paused',
  succeeded: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** Which actions a job in each state offers. */
const ACTIONS: Record<Job['state'], JobAction[]> = {
  queued: ['pause', 'cancel'],
  running: ['pause', 'cancel'],
  paused: ['resume', 'cancel'],
  succeeded: [],
  failed: [],
  cancelled: [],
};

const ACTION_LABELS: Record<JobAction, string> = { pause: 'Pause', resume: 'Resume', cancel: 'Cancel' };

function when(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** One job: what it is, its state, its progress bar, and its actions. */
function JobRow({ job, act }: { job: Job; act: (action: JobAction, id: string) => Promise<boolean> }) {
  const label = KIND_LABELS[job.kind] ?? job.kind;
  const percent = Math.round(job.progress * 100);
  const finished = job.state === 'succeeded' || job.state === 'failed' || job.state === 'cancelled';
  return (
    <li className={`job job-${job.state}`} data-job-kind={job.kind} data-job-state={job.state}>
      <div className="job-head">
        <span className="job-title">{label}</span>
        <span className={`job-state badge badge-${job.state}`}>{STATE_LABELS[job.state]}</span>
      </div>
      <div className="job-progress">
        <progress max={100} value={percent} aria-label={`${label}: ${percent}%`} />
        <span className="job-percent">{percent}%</span>
      </div>
      <p className="job-detail">
        {job.state === 'failed' && job.lastError
          ? `It failed: ${job.lastError}`
          : (job.progressMessage ??
            (finished ? `Finished ${when(job.finishedAt)}` : `Queued ${when(job.createdAt)}`))}
      </p>
      {ACTIONS[job.state].length ? (
        <div className="job-actions">
          {ACTIONS[job.state].map((action) => (
            <button
              key={action}
              type="button"
              className={action === 'cancel' ? 'secondary' : undefined}
              aria-label={`${ACTION_LABELS[action]}: ${label}`}
              onClick={() => void act(action, job.id)}
            >
              {ACTION_LABELS[action]}
            </button>
          ))}
        </div>
      ) : null}
    </li>
  );
}

/** The jobs view. */
export function JobsView() {
  const store = useViewStore(createJobsStore);
  const { jobs, loading, failure, act, runNightly, dismiss } = useStore(store);
  const active = jobs.filter((job) => ['queued', 'running', 'paused'].includes(job.state));
  const done = jobs.filter((job) => !active.includes(job));
  const nightlyPending = active.some((job) => job.kind === 'nightly');

  return (
    <section className="view jobs-view" aria-labelledby="jobs-heading" aria-busy={loading}>
      <header className="view-header">
        <h2 id="jobs-heading">Jobs</h2>
        <div className="view-controls">
          <button type="button" onClick={() => void runNightly()} disabled={nightlyPending}>
            Run nightly now
          </button>
        </div>
      </header>
      <p className="muted">
        Lumin computes book vectors, retrains its recommendations every night and estimates missing reading
        levels in the background. You can keep working meanwhile.
      </p>

      {failure ? (
        <div className="view-error" role="alert">
          <p>
            {failure.action} failed: {failure.error.message}
          </p>
          <button type="button" className="secondary" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      ) : null}

      <h3 id="jobs-active">Running and queued</h3>
      {loading ? (
        <p className="muted">Loading jobs…</p>
      ) : active.length ? (
        <ul className="job-list" aria-labelledby="jobs-active">
          {active.map((job) => (
            <JobRow key={job.id} job={job} act={act} />
          ))}
        </ul>
      ) : (
        <p className="view-empty">
          Nothing is running. Importing books starts a pass that computes their vectors; “Run nightly now”
          retrains recommendations from the latest reading.
        </p>
      )}

      <h3 id="jobs-done">Finished</h3>
      {done.length ? (
        <ul className="job-list" aria-labelledby="jobs-done">
          {done.map((job) => (
            <JobRow key={job.id} job={job} act={act} />
          ))}
        </ul>
      ) : loading ? null : (
        <p className="view-empty">No job has finished yet.</p>
      )}
    </section>
  );
}
