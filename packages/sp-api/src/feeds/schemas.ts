// Schemas for the answers of the Feeds API 2021-06-30, written from specs/sp-api/feeds_2021-06-30.json
// (only the fields Consign reads are required; everything else passes through).

import { z } from "zod";

export const CreateFeedDocumentResponseSchema = z.looseObject({
  feedDocumentId: z.string().min(1),
  url: z.string().min(1),
});
export type CreateFeedDocumentResponse = z.infer<typeof CreateFeedDocumentResponseSchema>;

export const CreateFeedResponseSchema = z.looseObject({ feedId: z.string().min(1) });

export const FeedSchema = z.looseObject({
  feedId: z.string(),
  feedType: z.string(),
  createdTime: z.string(),
  processingStatus: z.enum(["CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE"]),
  resultFeedDocumentId: z.string().optional(),
});
export type Feed = z.infer<typeof FeedSchema>;

export const FeedDocumentSchema = z.looseObject({
  feedDocumentId: z.string(),
  url: z.string().min(1),
  compressionAlgorithm: z.enum(["GZIP"]).optional(),
});
export type FeedDocument = z.infer<typeof FeedDocumentSchema>;
