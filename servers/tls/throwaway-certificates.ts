/**
 * A throwaway public key infrastructure for one run: a CA, a server certificate for
 * loopback (localhost, 127.0.0.1, ::1) and a client certificate, all signed with sha256.
 * Keys come from node:crypto (native, fast); node-forge only builds and signs the
 * certificates, which node:crypto cannot do.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface PemPair {
  readonly cert: string;
  readonly key: string;
}

export interface ThrowawayPki {
  readonly ca: PemPair;
  readonly server: PemPair;
  readonly client: PemPair;
}

export interface IssueOptions {
  readonly commonName: string;
  readonly role: 'server' | 'client';
  /** Valid from this many days ago until as many days from now (default 1). */
  readonly validDays?: number;
  /** Issue a certificate that expired this many days ago (for tests of the refusal). */
  readonly expiredDaysAgo?: number;
}

const dayMs = 86_400_000;

function rsaKeyPair(): { publicKey: forge.pki.PublicKey; privateKey: forge.pki.rsa.PrivateKey; pem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    publicKey: forge.pki.publicKeyFromPem(publicKey),
    privateKey: forge.pki.privateKeyFromPem(privateKey),
    pem: privateKey,
  };
}

function newCertificate(publicKey: forge.pki.PublicKey, notBefore: Date, notAfter: Date) {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // Positive, random: two runs never issue the same serial.
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  return cert;
}

/** A self-signed CA valid for a day either side of now. */
export function createCa(commonName = 'grpc-rest-bench throwaway CA'): PemPair {
  const keys = rsaKeyPair();
  const now = Date.now();
  const cert = newCertificate(keys.publicKey, new Date(now - dayMs), new Date(now + dayMs));
  const subject = [{ name: 'commonName', value: commonName }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keys.pem };
}

/** A leaf certificate signed by `ca`: for a loopback server, or for a client (mTLS). */
export function issueCertificate(ca: PemPair, options: IssueOptions): PemPair {
  const caCert = forge.pki.certificateFromPem(ca.cert);
  const caKey = forge.pki.privateKeyFromPem(ca.key);
  const keys = rsaKeyPair();
  const now = Date.now();
  const validMs = (options.validDays ?? 1) * dayMs;
  const [notBefore, notAfter] =
    options.expiredDaysAgo === undefined
      ? [new Date(now - validMs), new Date(now + validMs)]
      : [
          new Date(now - options.expiredDaysAgo * dayMs - validMs),
          new Date(now - options.expiredDaysAgo * dayMs),
        ];
  const cert = newCertificate(keys.publicKey, notBefore, notAfter);
  cert.setSubject([{ name: 'commonName', value: options.commonName }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    options.role === 'server'
      ? { name: 'extKeyUsage', serverAuth: true }
      : { name: 'extKeyUsage', clientAuth: true },
    ...(options.role === 'server'
      ? [
          {
            name: 'subjectAltName',
            altNames: [
              { type: 2, value: 'localhost' },
              { type: 7, ip: '127.0.0.1' },
              { type: 7, ip: '::1' },
            ],
          },
        ]
      : []),
  ]);
  cert.sign(caKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keys.pem };
}

/** The CA, a loopback server certificate and a client certificate, valid for a day. */
export function createThrowawayPki(): ThrowawayPki {
  const ca = createCa();
  return {
    ca,
    server: issueCertificate(ca, { commonName: 'localhost', role: 'server' }),
    client: issueCertificate(ca, { commonName: 'grpc-rest-bench client', role: 'client' }),
  };
}
