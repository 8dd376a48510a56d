/** Contract types of content embeddings: models, their state on this device, and similar books. */
import type { Book, Job } from './domain';

/** Whether a model can embed now. */
export type ModelAvailability =
  /** Ready to run on this device (bundled, downloaded, a folder that exists, an endpoint with what it needs). */
  | 'ready'
  /** A hub model not downloaded yet: the first pass downloads it into the data folder, with progress events. */
  | 'download'
  /** OpenAI's own endpoint without an API key. */
  | 'needs_key'
  /** A model folder that no longer exists or lacks its files. */
  | 'missing';

/** One embedding model as this device knows it. */
export interface EmbeddingModelInfo {
  /** The id stored with every vector (see shared/embed/models.ts). */
  id: string;
  /** A short human name. */
  label: string;
  /** Which provider runs it. */
  provider: 'bundled' | 'transformers' | 'openai';
  /** Vector length, once known. */
  dimension: number | null;
  /** Whether it can embed now. */
  availability: ModelAvailability;
  /** The model recommendations use now. */
  active: boolean;
  /** A switch to this model is in progress (its vectors are being computed; the active model keeps serving). */
  switching: boolean;
  /** Stored vectors by owner kind. */
  vectors: { books: number; readers: number; tags: number };
  /** When a full pass last completed with it. */
  completedAt: string | null;
  /** Its books have an HNSW (cosine) index: built after a pass completes (models up to 2,000 dimensions). */
  indexed: boolean;
}

/** The embedding state of the catalogue. */
export interface EmbeddingStatus {
  /** The model recommendations and `similar` use. */
  activeModel: string;
  /** A model being switched to, if any. */
  switchingTo: string | null;
  /** Books in all, and books with a vector of the active model. */
  books: { total: number; embedded: number };
  /** Books, readers and tags that are missing or stale for the active model. */
  stale: number;
  /** The unfinished `embed` jobs. */
  jobs: Job[];
}

/** A book close to another by content. */
export interface SimilarBook {
  /** The book. */
  book: Book;
  /** Cosine similarity in [-1, 1]; higher is closer. */
  score: number;
}

/** What `models.use` started. */
export interface ModelSwitch {
  /** The model asked for. */
  model: EmbeddingModelInfo;
  /** The background pass that computes its vectors and then switches (null when already active). */
  job: Job | null;
}

/** Progress of a model download (hub models, on first use). */
export interface ModelDownloadProgress {
  /** The model. */
  model: string;
  /** The file being fetched. */
  file: string;
  /** Bytes so far. */
  loaded: number;
  /** Bytes in all (0 when the server does not say). */
  total: number;
  /** `progress` while fetching, `done` when every file is in the data folder. */
  status: 'progress' | 'done';
}
