// Schemas for the answers of Reports 2021-06-30, Finances 2024-06-19, Listings Items 2021-08-01 and
// Solicitations v1, written from the models in specs/sp-api (only the fields Consign reads are
// required; everything else passes through).

import { z } from "zod";

export const CreateReportResponseSchema = z.looseObject({ reportId: z.string().min(1) });

export const ReportSchema = z.looseObject({
  reportId: z.string(),
  reportType: z.string(),
  createdTime: z.string(),
  processingStatus: z.enum(["CANCELLED", "DONE", "FATAL", "IN_PROGRESS", "IN_QUEUE"]),
  reportDocumentId: z.string().optional(),
});
export type Report = z.infer<typeof ReportSchema>;

export const ReportDocumentSchema = z.looseObject({
  reportDocumentId: z.string(),
  url: z.string().min(1),
  compressionAlgorithm: z.enum(["GZIP"]).optional(),
});
export type ReportDocument = z.infer<typeof ReportDocumentSchema>;

const Currency = z.looseObject({
  currencyCode: z.string().optional(),
  currencyAmount: z.number().optional(),
});

export const TransactionSchema = z.looseObject({
  transactionId: z.string().optional(),
  transactionType: z.string().optional(),
  transactionStatus: z.string().optional(),
  description: z.string().optional(),
  postedDate: z.string().optional(),
  totalAmount: Currency.optional(),
  relatedIdentifiers: z
    .array(
      z.looseObject({
        relatedIdentifierName: z.string().optional(),
        relatedIdentifierValue: z.string().optional(),
      }),
    )
    .optional(),
});
export type Transaction = z.infer<typeof TransactionSchema>;

export const ListTransactionsResponseSchema = z.looseObject({
  payload: z
    .looseObject({ nextToken: z.string().nullish(), transactions: z.array(TransactionSchema).optional() })
    .optional(),
});

export const ListingsSubmissionSchema = z.looseObject({
  sku: z.string(),
  status: z.enum(["ACCEPTED", "INVALID", "VALID"]),
  submissionId: z.string(),
  issues: z
    .array(
      z.looseObject({
        code: z.string(),
        message: z.string(),
        severity: z.enum(["ERROR", "WARNING", "INFO"]),
        attributeNames: z.array(z.string()).optional(),
      }),
    )
    .optional(),
});
export type ListingsSubmission = z.infer<typeof ListingsSubmissionSchema>;

const Link = z.looseObject({ href: z.string(), name: z.string().optional() });
export const SolicitationActionsSchema = z.looseObject({
  _links: z.looseObject({ actions: z.array(Link), self: Link }).optional(),
});
