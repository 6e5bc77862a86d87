/**
 * The model of the real spec: signature scheme, version header, operations and the multipart
 * variants the client and validators are generated from.
 */
import { describe, expect, it } from 'vitest';
import { generate } from '../helpers.js';

describe('model of spec/2025-04-15', () => {
  it('reads the signature scheme from x-embed-signature and the security schemes', async () => {
    const { model } = await generate('2025-04-15');
    expect(model.signature).toMatchObject({
      schemeName: 'ApiSign',
      keyHeader: 'API-Key',
      nonceHeader: 'API-Nonce',
      signHeader: 'API-Sign',
      secretEncoding: 'base64',
      hmac: 'SHA-512',
      bodyHash: 'SHA-256',
      signedPath: 'path-with-query',
    });
    expect(model.versionHeader).toEqual({ name: 'Payward-Version', value: '2025-04-15' });
    expect(model.servers).toEqual([{ url: 'https://nexus.kraken.com', description: expect.any(String) }]);
    expect(model.spec.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(model.spec.shortHash).toBe(model.spec.hash.slice(0, 12));
  });

  it('has one operation per x-embed-client helper', async () => {
    const { model } = await generate('2025-04-15');
    expect(
      model.operations.map((o) => ({
        id: o.operationId,
        route: `${o.method} ${o.path}`,
        helper: `${o.client.group}.${o.client.method}`,
        params: o.pathParams.map((p) => p.name),
        body: o.requestBody?.mediaType,
        success: `${o.success?.status} ${o.success?.schema?.name}`,
        result: o.resultProperty,
        signed: o.signed,
      })),
    ).toEqual([
      { id: 'submitVerification', route: 'post /b2b/verifications/{user}', helper: 'verifications.submit', params: ['user'], body: 'multipart/form-data', success: '200 SubmitVerificationResponse', result: 'result', signed: true },
      { id: 'submitVerificationFromUrls', route: 'post /b2b/verifications/{user}/url', helper: 'verifications.submitFromUrls', params: ['user'], body: 'application/json', success: '200 SubmitVerificationResponse', result: 'result', signed: true },
      { id: 'getUser', route: 'get /b2b/users/{user}', helper: 'users.get', params: ['user'], body: undefined, success: '200 GetUserResponse', result: 'result', signed: true },
    ]);
  });

  it('classifies the multipart parts per verification type, in spec order', async () => {
    const { model } = await generate('2025-04-15');
    const mp = model.operations[0]!.requestBody!.multipart!;
    expect(mp.inputTypeName).toBe('SubmitVerificationInput');
    expect(mp.discriminatorTypeName).toBe('VerificationType');
    expect(
      Object.fromEntries(mp.variants.map((v) => [v.value, v.parts.map((p) => `${p.name}:${p.kind}${p.required ? '!' : ''}:${p.contentType}`)])),
    ).toEqual({
      identity_document: [
        'type:discriminator!:text/plain',
        'metadata:json!:application/json',
        'front:file!:application/octet-stream',
        'back:file:application/octet-stream',
        'verifier_response:file:application/octet-stream',
      ],
      residence_document: ['type:discriminator!:text/plain', 'metadata:json!:application/json', 'document:file!:application/octet-stream', 'verifier_response:file:application/octet-stream'],
      tax_id_document: ['type:discriminator!:text/plain', 'metadata:json!:application/json', 'tax_id:file!:application/octet-stream', 'verifier_response:file:application/octet-stream'],
      selfie: ['type:discriminator!:text/plain', 'metadata:json!:application/json', 'selfie:file!:application/octet-stream', 'verifier_response:file:application/octet-stream'],
      watchlists: [
        'type:discriminator!:text/plain',
        'metadata:json!:application/json',
        'verifier_response:file:application/octet-stream',
        'sanctions_verifier_response:file:application/octet-stream',
        'pep_verifier_response:file:application/octet-stream',
        'negative_news_verifier_response:file:application/octet-stream',
      ],
    });
  });

  it('declares the media types of the 2099 video part', async () => {
    const { model } = await generate('2099-01-01');
    const video = model.operations[0]!.requestBody!.multipart!.variants.find((v) => v.value === 'liveness_video')!.parts.find((p) => p.name === 'video')!;
    expect(video).toMatchObject({ kind: 'file', required: true, contentType: 'video/mp4', acceptedMediaTypes: ['video/mp4', 'video/webm'] });
  });
});
