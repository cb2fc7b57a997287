import { p256 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, concatBytes, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import {
  GROUP_ORDER,
  M_HEX,
  N_HEX,
  Spake2ErrorCode,
  startSpake2,
  startSpake2WithScalar,
  type Spake2Input,
  type Spake2Role,
} from './spake2';

/**
 * RFC 9382 Appendix B, "SPAKE2 Test Vectors" (SPAKE2-P256-SHA256-HKDF-HMAC; w, x and y given directly), all four,
 * taken verbatim from the document's XML source kept by its editor (github.com/kaduk/spake2,
 * draft-irtf-cfrg-spake2.xml at 2530956; "A conf"/"B conf" there are cA/cB) and only re-wrapped. Checked against
 * Botan's copy "From RFC 9382" (randombit/botan, src/tests/data/pake/spake2.vec): w, x, y and Hash(TT) of all four
 * agree, and Hash(TT) pins TT, hence pA, pB, K and every key and MAC derived from it.
 */
const RFC9382_VECTORS = [
  {
    A: 'server',
    B: 'client',
    w: '2ee57912099d31560b3a44b1184b9b4866e904c49d12ac5042c97dca461b1a5f',
    x: '43dd0fd7215bdcb482879fca3220c6a968e66d70b1356cac18bb26c84a78d729',
    y: 'dcb60106f276b02606d8ef0a328c02e4b629f84f89786af5befb0bc75b6e66be',
    pA:
      '04a56fa807caaa53a4d28dbb9853b9815c61a411118a6fe516a8798434751470f9010153ac33d0d5f2047ffdb1a3e42c' +
      '9b4e6be662766e1eeb4116988ede5f912c',
    pB:
      '0406557e482bd03097ad0cbaa5df82115460d951e3451962f1eaf4367a420676d09857ccbc522686c83d1852abfa8ed6' +
      'e4a1155cf8f1543ceca528afb591a1e0b7',
    K:
      '0412af7e89717850671913e6b469ace67bd90a4df8ce45c2af19010175e37eed69f75897996d539356e2fa6a406d5285' +
      '01f907e04d97515fbe83db277b715d3325',
    TT:
      '06000000000000007365727665720600000000000000636c69656e74410000000000000004a56fa807caaa53a4d28dbb' +
      '9853b9815c61a411118a6fe516a8798434751470f9010153ac33d0d5f2047ffdb1a3e42c9b4e6be662766e1eeb411698' +
      '8ede5f912c41000000000000000406557e482bd03097ad0cbaa5df82115460d951e3451962f1eaf4367a420676d09857' +
      'ccbc522686c83d1852abfa8ed6e4a1155cf8f1543ceca528afb591a1e0b741000000000000000412af7e897178506719' +
      '13e6b469ace67bd90a4df8ce45c2af19010175e37eed69f75897996d539356e2fa6a406d528501f907e04d97515fbe83' +
      'db277b715d332520000000000000002ee57912099d31560b3a44b1184b9b4866e904c49d12ac5042c97dca461b1a5f',
    hashTT: '0e0672dc86f8e45565d338b0540abe6915bdf72e2b35b5c9e5663168e960a91b',
    Ke: '0e0672dc86f8e45565d338b0540abe69',
    Ka: '15bdf72e2b35b5c9e5663168e960a91b',
    KcA: '00c12546835755c86d8c0db7851ae86f',
    KcB: 'a9fa3406c3b781b93d804485430ca27a',
    cA: '58ad4aa88e0b60d5061eb6b5dd93e80d9c4f00d127c65b3b35b1b5281fee38f0',
    cB: 'd3e2e547f1ae04f2dbdbf0fc4b79f8ecff2dff314b5d32fe9fcef2fb26dc459b',
  },
  {
    A: '',
    B: 'client',
    w: '0548d8729f730589e579b0475a582c1608138ddf7054b73b5381c7e883e2efae',
    x: '403abbe3b1b4b9ba17e3032849759d723939a27a27b9d921c500edde18ed654b',
    y: '903023b6598908936ea7c929bd761af6039577a9c3f9581064187c3049d87065',
    pA:
      '04a897b769e681c62ac1c2357319a3d363f610839c4477720d24cbe32f5fd85f44fb92ba966578c1b712be6962498834' +
      '078262caa5b441ecfa9d4a9485720e918a',
    pB:
      '04e0f816fd1c35e22065d5556215c097e799390d16661c386e0ecc84593974a61b881a8c82327687d0501862970c6456' +
      '5560cb5671f696048050ca66ca5f8cc7fc',
    K:
      '048f83ec9f6e4f87cc6f9dc740bdc2769725f923364f01c84148c049a39a735ebda82eac03e00112fd6a5710682767cf' +
      'f5361f7e819e53d8d3c3a2922e0d837aa6',
    TT:
      '00000000000000000600000000000000636c69656e74410000000000000004a897b769e681c62ac1c2357319a3d363f6' +
      '10839c4477720d24cbe32f5fd85f44fb92ba966578c1b712be6962498834078262caa5b441ecfa9d4a9485720e918a41' +
      '0000000000000004e0f816fd1c35e22065d5556215c097e799390d16661c386e0ecc84593974a61b881a8c82327687d0' +
      '501862970c64565560cb5671f696048050ca66ca5f8cc7fc4100000000000000048f83ec9f6e4f87cc6f9dc740bdc276' +
      '9725f923364f01c84148c049a39a735ebda82eac03e00112fd6a5710682767cff5361f7e819e53d8d3c3a2922e0d837a' +
      'a620000000000000000548d8729f730589e579b0475a582c1608138ddf7054b73b5381c7e883e2efae',
    hashTT: '642f05c473c2cd79909f9a841e2f30a70bf89b18180af97353ba198789c2b963',
    Ke: '642f05c473c2cd79909f9a841e2f30a7',
    Ka: '0bf89b18180af97353ba198789c2b963',
    KcA: 'c6be376fc7cd1301fd0a13adf3e7bffd',
    KcB: 'b7243f4ae60440a49b3f8cab3c1fba07',
    cA: '47d29e6666af1b7dd450d571233085d7a9866e4d49d2645e2df975489521232b',
    cB: '3313c5cefc361d27fb16847a91c2a73b766ffa90a4839122a9b70a2f6bd1d6df',
  },
  {
    A: 'server',
    B: '',
    w: '626e0cdc7b14c9db3e52a0b1b3a768c98e37852d5db30febe0497b14eae8c254',
    x: '07adb3db6bc623d3399726bfdbfd3d15a58ea776ab8a308b00392621291f9633',
    y: 'b6a4fc8dbb629d4ba51d6f91ed1532cf87adec98f25dd153a75accafafedec16',
    pA:
      '04f88fb71c99bfffaea370966b7eb99cd4be0ff1a7d335caac4211c4afd855e2e15a873b298503ad8ba1d9cbb9a392d2' +
      'ba309b48bfd7879aefd0f2cea6009763b0',
    pB:
      '040c269d6be017dccb15182ac6bfcd9e2a14de019dd587eaf4bdfd353f031101e7cca177f8eb362a6e83e7d5e729c073' +
      '2e1b528879c086f39ba0f31a9661bd34db',
    K:
      '0445ee233b8ecb51ebd6e7da3f307e88a1616bae2166121221fdc0dadb986afaf3ec8a988dc9c626fa3b99f58a7ca7c9' +
      'b844bb3e8dd9554aafc5b53813504c1cbe',
    TT:
      '06000000000000007365727665720000000000000000410000000000000004f88fb71c99bfffaea370966b7eb99cd4be' +
      '0ff1a7d335caac4211c4afd855e2e15a873b298503ad8ba1d9cbb9a392d2ba309b48bfd7879aefd0f2cea6009763b041' +
      '00000000000000040c269d6be017dccb15182ac6bfcd9e2a14de019dd587eaf4bdfd353f031101e7cca177f8eb362a6e' +
      '83e7d5e729c0732e1b528879c086f39ba0f31a9661bd34db41000000000000000445ee233b8ecb51ebd6e7da3f307e88' +
      'a1616bae2166121221fdc0dadb986afaf3ec8a988dc9c626fa3b99f58a7ca7c9b844bb3e8dd9554aafc5b53813504c1c' +
      'be2000000000000000626e0cdc7b14c9db3e52a0b1b3a768c98e37852d5db30febe0497b14eae8c254',
    hashTT: '005184ff460da2ce59062c87733c299c3521297d736598fc0a1127600efa1afb',
    Ke: '005184ff460da2ce59062c87733c299c',
    Ka: '3521297d736598fc0a1127600efa1afb',
    KcA: 'f3da53604f0aeecea5a33be7bddf6edf',
    KcB: '9e3f86848736f159bd92b6e107ec6799',
    cA: 'bc9f9bbe99f26d0b2260e6456e05a86196a3307ec6663a18bf6ac825736533b2',
    cB: 'c2370e1bf813b086dff0d834e74425a06e6390f48f5411900276dcccc5a297ec',
  },
  {
    A: '',
    B: '',
    w: '7bf46c454b4c1b25799527d896508afd5fc62ef4ec59db1efb49113063d70cca',
    x: '8cef65df64bb2d0f83540c53632de911b5b24b3eab6cc74a97609fd659e95473',
    y: 'd7a66f64074a84652d8d623a92e20c9675c61cb5b4f6a0063e4648a2fdc02d53',
    pA:
      '04a65b367a3f613cf9f0654b1b28a1e3a8a40387956c8ba6063e8658563890f46ca1ef6a676598889fc28de2950ab812' +
      '0b79a5ef1ea4c9f44bc98f585634b46d66',
    pB:
      '04589f13218822710d98d8b2123a079041052d9941b9cf88c6617ddb2fcc0494662eea8ba6b64692dc318250030c6af0' +
      '45cb738bc81ba35b043c3dcb46adf6f58d',
    K:
      '041a3c03d51b452537ca2a1fea6110353c6d5ed483c4f0f86f4492ca3f378d40a994b4477f93c64d928edbbcd3e85a7c' +
      '709b7ea73ee97986ce3d1438e135543772',
    TT:
      '00000000000000000000000000000000410000000000000004a65b367a3f613cf9f0654b1b28a1e3a8a40387956c8ba6' +
      '063e8658563890f46ca1ef6a676598889fc28de2950ab8120b79a5ef1ea4c9f44bc98f585634b46d6641000000000000' +
      '0004589f13218822710d98d8b2123a079041052d9941b9cf88c6617ddb2fcc0494662eea8ba6b64692dc318250030c6a' +
      'f045cb738bc81ba35b043c3dcb46adf6f58d4100000000000000041a3c03d51b452537ca2a1fea6110353c6d5ed483c4' +
      'f0f86f4492ca3f378d40a994b4477f93c64d928edbbcd3e85a7c709b7ea73ee97986ce3d1438e1355437722000000000' +
      '0000007bf46c454b4c1b25799527d896508afd5fc62ef4ec59db1efb49113063d70cca',
    hashTT: 'fc6374762ba5cf11f4b2caa08b2cd1b9907ae0e26e8d6234318d91583cd74c86',
    Ke: 'fc6374762ba5cf11f4b2caa08b2cd1b9',
    Ka: '907ae0e26e8d6234318d91583cd74c86',
    KcA: '5dbd2f477166b7fb6d61febbd77a5563',
    KcB: '7689b4654407a5faeffdc8f18359d8a3',
    cA: 'dfb4db8d48ae5a675963ea5e6c19d98d4ea028d8e898dad96ea19a80ade95dca',
    cB: 'd0f0609d1613138d354f7e95f19fb556bf52d751947241e8c7118df5ef0ae175',
  },
];

type Vector = (typeof RFC9382_VECTORS)[number];

const hex = bytesToHex;
const scalar = (h: string) => BigInt(`0x${h}`);

function inputFor(vector: Vector, role: Spake2Role): Spake2Input {
  return { role, w: scalar(vector.w), idA: utf8ToBytes(vector.A), idB: utf8ToBytes(vector.B) };
}

/** TT's fields back out of it: each is an 8-byte little-endian length and that many bytes. */
function transcriptFields(tt: Uint8Array): string[] {
  const fields: string[] = [];
  const view = new DataView(tt.buffer, tt.byteOffset, tt.byteLength);
  for (let at = 0; at < tt.length;) {
    const length = Number(view.getBigUint64(at, true));
    fields.push(hex(tt.subarray(at + 8, at + 8 + length)));
    at += 8 + length;
  }
  return fields;
}

/** The RFC's point generation (appendix "Algorithm used for Point Generation"), for SEC1 compressed P-256 points. */
function generatePoint(seed: string): string {
  const blocks = [sha256(utf8ToBytes(seed))];
  for (let start = 1; start < 1000; start++) {
    // bighash(seed, start, 33): the hash iterated `start` and `start + 1` times, concatenated, cut to 33 bytes.
    while (blocks.length < start + 2) blocks.push(sha256(blocks.at(-1)!));
    const candidate = concatBytes(blocks[start - 1]!, blocks[start]!).slice(0, 33);
    candidate[0] = (candidate[0]! & 1) | 2;
    try {
      const point = p256.Point.fromBytes(candidate);
      if (!point.is0()) return hex(candidate);
    } catch {
      // Not on the curve: the RFC moves on to the next block.
    }
  }
  throw new Error(`no point for ${seed}`);
}

function exchange(vector: Vector) {
  const a = startSpake2WithScalar(inputFor(vector, 'A'), scalar(vector.x));
  const b = startSpake2WithScalar(inputFor(vector, 'B'), scalar(vector.y));
  return { a, b, resultA: a.finish(b.share), resultB: b.finish(a.share) };
}

describe('SPAKE2-P256-SHA256-HKDF-HMAC (RFC 9382)', () => {
  it('uses the M and N that the RFC derives from its public seeds', () => {
    expect(generatePoint('1.2.840.10045.3.1.7 point generation seed (M)')).toBe(M_HEX);
    expect(generatePoint('1.2.840.10045.3.1.7 point generation seed (N)')).toBe(N_HEX);
  });

  describe.each(RFC9382_VECTORS)("Appendix B vector A='$A', B='$B'", (vector) => {
    it('computes pA and pB', () => {
      const { a, b } = exchange(vector);
      expect(hex(a.share)).toBe(vector.pA);
      expect(hex(b.share)).toBe(vector.pB);
    });

    it('builds the transcript TT, with K, on both sides', () => {
      const { resultA, resultB } = exchange(vector);
      expect(hex(resultA.transcript)).toBe(vector.TT);
      expect(hex(resultB.transcript)).toBe(vector.TT);
      const [idA, idB, pA, pB, K, w] = transcriptFields(resultA.transcript);
      expect([idA, idB]).toEqual([hex(utf8ToBytes(vector.A)), hex(utf8ToBytes(vector.B))]);
      expect([pA, pB, K, w]).toEqual([vector.pA, vector.pB, vector.K, vector.w]);
    });

    it('derives Ke, Ka, KcA, KcB and the confirmations cA and cB', () => {
      const { resultA, resultB } = exchange(vector);
      expect(hex(sha256(resultA.transcript))).toBe(vector.hashTT);
      expect(vector.hashTT).toBe(vector.Ke + vector.Ka);
      for (const result of [resultA, resultB]) {
        expect(hex(result.sharedKey)).toBe(vector.Ke);
        expect(hex(result.confirmationKeyA)).toBe(vector.KcA);
        expect(hex(result.confirmationKeyB)).toBe(vector.KcB);
        expect(hex(result.confirmationA)).toBe(vector.cA);
        expect(hex(result.confirmationB)).toBe(vector.cB);
      }
      expect(hex(resultA.confirmation)).toBe(vector.cA);
      expect(hex(resultB.confirmation)).toBe(vector.cB);
      expect(resultA.verifyPeerConfirmation(hexToBytes(vector.cB))).toBe(true);
      expect(resultB.verifyPeerConfirmation(hexToBytes(vector.cA))).toBe(true);
    });
  });
});

const randomW = () => 1n + (BigInt(`0x${hex(p256.utils.randomSecretKey())}`) % (GROUP_ORDER - 1n));
const ids = { idA: utf8ToBytes('device'), idB: utf8ToBytes('hub') };

function pair(wA: bigint, wB = wA) {
  return { a: startSpake2({ role: 'A', w: wA, ...ids }), b: startSpake2({ role: 'B', w: wB, ...ids }) };
}

function flipped(bytes: Uint8Array, index: number): Uint8Array {
  const copy = bytes.slice();
  copy[index]! ^= 1;
  return copy;
}

describe('a SPAKE2 exchange', () => {
  it('agrees on Ke and on both confirmations when both sides hold the same w', () => {
    const { a, b } = pair(randomW());
    const resultA = a.finish(b.share);
    const resultB = b.finish(a.share);
    expect(hex(resultA.sharedKey)).toBe(hex(resultB.sharedKey));
    expect(resultB.verifyPeerConfirmation(resultA.confirmation)).toBe(true);
    expect(resultA.verifyPeerConfirmation(resultB.confirmation)).toBe(true);
  });

  it('fails confirmation on both sides when the passwords differ', () => {
    const { a, b } = pair(randomW(), randomW());
    const resultA = a.finish(b.share);
    const resultB = b.finish(a.share);
    expect(hex(resultA.sharedKey)).not.toBe(hex(resultB.sharedKey));
    expect(resultB.verifyPeerConfirmation(resultA.confirmation)).toBe(false);
    expect(resultA.verifyPeerConfirmation(resultB.confirmation)).toBe(false);
  });

  it('fails confirmation when a share is replaced by another valid point on the way', () => {
    const { a, b } = pair(randomW());
    const other = p256.Point.fromBytes(a.share).add(p256.Point.BASE).toBytes(false);
    const resultA = a.finish(b.share);
    const resultB = b.finish(other);
    expect(resultB.verifyPeerConfirmation(resultA.confirmation)).toBe(false);
    expect(resultA.verifyPeerConfirmation(resultB.confirmation)).toBe(false);
  });

  it('refuses a tampered, cut or lengthened confirmation', () => {
    const { a, b } = pair(randomW());
    const resultA = a.finish(b.share);
    const resultB = b.finish(a.share);
    const mac = resultA.confirmation;
    expect(resultB.verifyPeerConfirmation(flipped(mac, 31))).toBe(false);
    expect(resultB.verifyPeerConfirmation(mac.slice(0, 16))).toBe(false);
    expect(resultB.verifyPeerConfirmation(concatBytes(mac, new Uint8Array(1)))).toBe(false);
    // A cannot be fooled by its own MAC reflected back: cA and cB use different keys.
    expect(resultA.verifyPeerConfirmation(mac)).toBe(false);
  });

  it('binds the identities: the same password under another identity fails confirmation', () => {
    const w = randomW();
    const a = startSpake2({ role: 'A', w, ...ids });
    const b = startSpake2({ role: 'B', w, idA: ids.idA, idB: utf8ToBytes('rogue hub') });
    const resultA = a.finish(b.share);
    const resultB = b.finish(a.share);
    expect(resultB.verifyPeerConfirmation(resultA.confirmation)).toBe(false);
    expect(resultA.verifyPeerConfirmation(resultB.confirmation)).toBe(false);
  });

  it('mixes AAD into the confirmation keys only', () => {
    const w = randomW();
    const a = startSpake2({ role: 'A', w, ...ids, aad: utf8ToBytes('v2') });
    const b = startSpake2({ role: 'B', w, ...ids, aad: utf8ToBytes('v3') });
    const resultA = a.finish(b.share);
    const resultB = b.finish(a.share);
    expect(hex(resultA.sharedKey)).toBe(hex(resultB.sharedKey));
    expect(resultB.verifyPeerConfirmation(resultA.confirmation)).toBe(false);
  });

  it('finishes once: a second share is one more password guess', () => {
    const { a, b } = pair(randomW());
    a.finish(b.share);
    expect(() => a.finish(b.share)).toThrow(expect.objectContaining({ code: Spake2ErrorCode.ALREADY_FINISHED }));
  });
});

describe('invalid SPAKE2 input', () => {
  const share = () => pair(randomW()).b.share;
  const invalidShare = expect.objectContaining({
    code: Spake2ErrorCode.INVALID_SHARE,
    message: expect.stringMatching(/uncompressed P-256 point|not a point on P-256/),
  });

  it.each([
    ['empty', () => new Uint8Array()],
    ['compressed', () => p256.Point.fromBytes(share()).toBytes(true)],
    ['with another prefix', () => concatBytes(Uint8Array.of(0x06), share().slice(1))],
    ['one byte short', () => share().slice(0, 64)],
    ['off the curve', () => flipped(share(), 64)],
    ['the all-zero encoding', () => concatBytes(Uint8Array.of(0x04), new Uint8Array(64))],
    ['the single-byte identity encoding', () => Uint8Array.of(0x00)],
  ])('refuses a share that is %s', (_, make) => {
    const { a } = pair(randomW());
    expect(() => a.finish(make())).toThrow(invalidShare);
  });

  it('refuses a share that cancels the password mask to the identity element', () => {
    const w = randomW();
    const a = startSpake2({ role: 'A', w, ...ids });
    const b = startSpake2({ role: 'B', w, ...ids });
    // pB = w*N means Y is the identity: K would be the identity whatever x is.
    const maskOnly = p256.Point.fromHex(N_HEX).multiply(w).toBytes(false);
    expect(() => a.finish(maskOnly)).toThrow(
      expect.objectContaining({ code: Spake2ErrorCode.IDENTITY_ELEMENT, message: expect.stringMatching(/identity/) }),
    );
    const maskOnlyForB = p256.Point.fromHex(M_HEX).multiply(w).toBytes(false);
    expect(() => b.finish(maskOnlyForB)).toThrow(expect.objectContaining({ code: Spake2ErrorCode.IDENTITY_ELEMENT }));
  });

  it.each([0n, GROUP_ORDER, -1n])('refuses w = %s', (w) => {
    expect(() => startSpake2({ role: 'A', w, ...ids })).toThrow(
      expect.objectContaining({ code: Spake2ErrorCode.INVALID_SCALAR }),
    );
  });
});
