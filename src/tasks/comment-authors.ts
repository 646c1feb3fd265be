import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type Repository } from 'typeorm';
import type { TaskComment } from '../camunda/camunda.models.js';
import { CommentAuthorRecord } from './comment-author.entity.js';

/** The comment_authors table: the real author of comments written through the gateway. */
@Injectable()
export class CommentAuthors {
  private readonly authors: Repository<CommentAuthorRecord>;

  constructor(@InjectDataSource() dataSource: DataSource) {
    this.authors = dataSource.getRepository(CommentAuthorRecord);
  }

  async record(commentId: string, camundaUserId: string): Promise<void> {
    await this.authors.upsert({ commentId, camundaUserId }, ['commentId']);
  }

  /** The comments with their recorded authors; comments written elsewhere keep the engine's. */
  async attribute(comments: TaskComment[]): Promise<TaskComment[]> {
    if (comments.length === 0) return comments;
    const recorded = await this.authors.findBy({ commentId: In(comments.map((comment) => comment.id)) });
    const authorOf = new Map(recorded.map((author) => [author.commentId, author.camundaUserId]));
    return comments.map((comment) => ({ ...comment, userId: authorOf.get(comment.id) ?? comment.userId }));
  }
}
