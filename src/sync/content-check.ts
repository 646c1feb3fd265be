import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { EngineProcessInstance } from '../camunda/camunda.models.js';
import { CandidateIndexBuilder, type KnownCandidates } from './candidate-index.js';
import { chunked, mapConcurrently } from './concurrency.js';
import { contentDiffers } from './content-drift.js';
import { FailureTriage } from './failure-triage.js';
import type { InstanceSnapshot } from './instance-snapshot.js';
import { InstanceSnapshotReader, MAX_BATCH_READ, type ReadAhead } from './instance-snapshot-reader.js';
import { MirrorStore, type MirroredContents } from './mirror-store.js';

// Batches read at once. Two were no faster at 10,000 instances on two cores (the gateway's own CPU bounds the
// check) and crowd the polls running beside a reconcile.
const BATCHES_IN_FLIGHT = 1;

/** Of some open instances the engine listed, those whose mirror a refresh would change. */
export type ContentComparison = (instances: EngineProcessInstance[]) => Promise<Set<string>>;

/**
 * Compares everything the mirror holds of instances with the engine, beyond the state the reconcile's walk compares:
 * tasks with their candidates, variables, incidents. The walk's pages are read as the import reads them, in batches,
 * with the history rows the walk has read already and all open tasks' candidates from one index; what differs is
 * then read again afresh (`confirmed`), as those read-aheads age while a large reconcile runs.
 */
@Injectable()
export class MirrorContentCheck {
  private readonly logger = new Logger(MirrorContentCheck.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reader: InstanceSnapshotReader,
    private readonly mirror: MirrorStore,
    private readonly candidateIndex: CandidateIndexBuilder,
    private readonly triage: FailureTriage,
  ) {}

  /** A comparison for one reconcile's instance walk: the candidate index is built once, for all of its pages. */
  async begin(): Promise<ContentComparison> {
    const candidates = await this.candidateIndexOrNone();
    return async (instances) => {
      const batches = chunked(instances, MAX_BATCH_READ);
      const found = await mapConcurrently(batches, BATCHES_IN_FLIGHT, (batch) =>
        this.differing(
          batch.map((instance) => instance.id),
          { candidates, instances: { rows: batch, readAt: new Date() } },
        ),
      );
      return new Set(found.flat());
    };
  }

  /** Of instances found to differ, those that still do when read again now, with nothing read ahead. */
  async confirmed(instanceIds: Iterable<string>): Promise<Set<string>> {
    const found = await mapConcurrently(chunked([...instanceIds], MAX_BATCH_READ), BATCHES_IN_FLIGHT, (batch) => this.differing(batch, {}));
    return new Set(found.flat());
  }

  /** The index only saves requests: without it (it failed to build) candidates are read per task. */
  private async candidateIndexOrNone(): Promise<KnownCandidates | undefined> {
    try {
      return (await this.candidateIndex.build(new Date())) ?? undefined;
    } catch (error) {
      if (await this.triage.isOutage(error)) throw error;
      this.logger.warn(`Reconcile reads candidates task by task: the candidate index failed (${(error as Error).message})`);
      return undefined;
    }
  }

  /**
   * A batch that cannot be read (other than in an outage) is read again instance by instance, so one instance the
   * engine cannot answer for does not make its 199 neighbours suspects: it alone is, and its refresh parks it.
   */
  private async differing(ids: string[], ahead: ReadAhead): Promise<string[]> {
    const read = await this.readBoth(ids, ahead);
    if (read) return ids.filter((id) => contentDiffers(read.snapshots.get(id) ?? null, read.mirrored.get(id)!));
    if (ids.length === 1) return ids;
    return (await mapConcurrently(ids, 1, (id) => this.differing([id], {}))).flat();
  }

  /** Null when the read failed for this batch, not for every one (an outage is thrown). */
  private async readBoth(
    ids: string[],
    ahead: ReadAhead,
  ): Promise<{ snapshots: Map<string, InstanceSnapshot | null>; mirrored: Map<string, MirroredContents> } | null> {
    try {
      // Either side may be read first: a change between the two reads makes a suspect that `confirmed` reads again.
      const [snapshots, mirrored] = await Promise.all([this.reader.readMany(ids, ahead), this.mirror.loadWithVariables(this.dataSource.manager, ids)]);
      return { snapshots, mirrored };
    } catch (error) {
      if (await this.triage.isOutage(error)) throw error;
      if (ids.length === 1) this.logger.warn(`Reconcile could not compare instance ${ids[0]}: ${(error as Error).message}`);
      return null;
    }
  }
}
