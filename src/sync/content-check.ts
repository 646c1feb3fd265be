import { Injectable } from '@nestjs/common';
import type { EngineProcessInstance } from '../camunda/camunda.models.js';
import { CandidateIndexBuilder } from './candidate-index.js';
import { chunked } from './concurrency.js';
import { contentDiffers } from './content-drift.js';
import { InstanceSnapshotReader, MAX_BATCH_READ } from './instance-snapshot-reader.js';
import { MirroredOpenRows } from './mirrored-open-rows.js';

/** Of some open instances the engine listed, those whose mirror a refresh would change. */
export type ContentComparison = (instances: EngineProcessInstance[]) => Promise<Set<string>>;

/**
 * Compares everything the mirror holds of open instances with the engine, beyond the state the reconcile's walk
 * compares: tasks with their candidates, variables, incidents. It reads the engine as the import does, in batches,
 * with the instances' history rows the walk has read already and all open tasks' candidates from one index.
 */
@Injectable()
export class MirrorContentCheck {
  constructor(
    private readonly reader: InstanceSnapshotReader,
    private readonly mirror: MirroredOpenRows,
    private readonly candidateIndex: CandidateIndexBuilder,
  ) {}

  /** A comparison for one reconcile: the candidate index is built once, for all of its pages. */
  async begin(): Promise<ContentComparison> {
    const candidates = (await this.candidateIndex.build(new Date())) ?? undefined;
    return async (instances) => {
      const suspects = new Set<string>();
      for (const batch of chunked(instances, MAX_BATCH_READ)) {
        const ids = batch.map((instance) => instance.id);
        // Either side may be read first: a change between the two reads makes a suspect whose refresh finds the truth.
        const [snapshots, mirrored] = await Promise.all([
          this.reader.readMany(ids, { candidates, instances: { rows: batch, readAt: new Date() } }),
          this.mirror.contentsOf(ids),
        ]);
        for (const id of ids) {
          const snapshot = snapshots.get(id);
          const contents = mirrored.get(id);
          if (!snapshot || !contents || contentDiffers(snapshot, contents)) suspects.add(id);
        }
      }
      return suspects;
    };
  }
}
