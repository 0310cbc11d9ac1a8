"""The "Simple 1-RTT Handshake" of RFC 8448 §3: published inputs and values.

RFC 8448 prints every input of a real TLS 1.3 handshake (the two X25519 private
keys, the exact handshake messages) and every intermediate secret, so that an
implementation can be checked step by step. ``reproduce()`` recomputes the
secrets from the inputs with :mod:`netlab.tls.keyschedule` and compares them
with the published values.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from netlab.tls import keyschedule as ks

# Inputs (RFC 8448 §3): ephemeral X25519 private keys of both sides ...
CLIENT_X25519_PRIVATE = "49af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea5005"
SERVER_X25519_PRIVATE = "b1580eeadf6dd589b8ef4f2d5652578cc810e9980191ec8d058308cea216a21e"
CLIENT_X25519_PUBLIC = "99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c"
SERVER_X25519_PUBLIC = "c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f"

# ... and the handshake messages as hashed into the transcript (without record headers).
MESSAGES = {
    "ClientHello": (
        "010000c00303cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece700"
        "0006130113031302010000910000000b0009000006736572766572ff01000100000a0014001200"
        "1d0017001800190100010101020103010400230000003300260024001d002099381de560e4bd43"
        "d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c002b0003020304000d0020001e0403"
        "05030603020308040805080604010501060102010402050206020202002d00020101001c000240"
        "01"),
    "ServerHello": (
        "020000560303a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e2692800"
        "130100002e00330024001d0020c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69"
        "b1b04e751f0f002b00020304"),
    "EncryptedExtensions": (
        "080000240022000a00140012001d00170018001901000101010201030104001c0002400100000000"),
    "Certificate": (
        "0b0001b9000001b50001b0308201ac30820115a003020102020102300d06092a864886f70d0101"
        "0b0500300e310c300a06035504031303727361301e170d3136303733303031323335395a170d32"
        "36303733303031323335395a300e310c300a0603550403130372736130819f300d06092a864886"
        "f70d010101050003818d0030818902818100b4bb498f8279303d980836399b36c6988c0c68de55"
        "e1bdb826d3901a2461eafd2de49a91d015abbc9a95137ace6c1af19eaa6af98c7ced43120998e1"
        "87a80ee0ccb0524b1b018c3e0b63264d449a6d38e22a5fda430846748030530ef0461c8ca9d9ef"
        "bfae8ea6d1d03e2bd193eff0ab9a8002c47428a6d35a8d88d79f7f1e3f0203010001a31a301830"
        "090603551d1304023000300b0603551d0f0404030205a0300d06092a864886f70d01010b050003"
        "81810085aad2a0e5b9276b908c65f73a7267170618a54c5f8a7b337d2df7a594365417f2eae8f8"
        "a58c8f8172f9319cf36b7fd6c55b80f21a03015156726096fd335e5e67f2dbf102702e608ccae6"
        "bec1fc63a42a99be5c3eb7107c3c54e9b9eb2bd5203b1c3b84e0a8b2f759409ba3eac9d91d402d"
        "cc0cc8f8961229ac9187b42b4de10000"),
    "CertificateVerify": (
        "0f000084080400805a747c5d88fa9bd2e55ab085a61015b7211f824cd484145ab3ff52f1fda847"
        "7b0b7abc90db78e2d33a5c141a078653fa6bef780c5ea248eeaaa785c4f394cab6d30bbe8d4859"
        "ee511f602957b15411ac027671459e46445c9ea58c181e818e95b8c3fb0bf3278409d3be152a3d"
        "a5043e063dda65cdf5aea20d53dfacd42f74f3"),
    "Finished (server)": (
        "140000209b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718"),
}

# Published values (RFC 8448 §3), in the order the key schedule produces them.
PUBLISHED = {
    "ECDHE shared secret": "8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d",
    "early secret": "33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a",
    "derived (for handshake)": "6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba",
    "handshake secret": "1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac",
    "c hs traffic": "b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21",
    "s hs traffic": "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38",
    "server handshake key": "3fce516009c21727d0f2e4e86ee403bc",
    "server handshake iv": "5d313eb2671276ee13000b30",
    "server Finished verify_data":
        "9b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718",
    "master secret": "18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919",
    "c ap traffic": "9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5",
    "s ap traffic": "a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643",
    "exp master": "fe22f881176eda18eb8f44529e6792c50c9a3f89452f68d8ae311b4309d3cf50",
    "server application key": "9f02283b6c9c07efc26bb9f2ac92e356",
    "server application iv": "cf782b88dd83549aadf1e984",
    "client application key": "17422dda596ed5d9acd890e3c63f5051",
    "client application iv": "5b78923dee08579033e523d9",
}


def messages() -> dict[str, bytes]:
    """The RFC 8448 §3 handshake messages as bytes, in transcript order."""
    return {name: bytes.fromhex(hex_text) for name, hex_text in MESSAGES.items()}


def shared_secrets() -> tuple[bytes, bytes]:
    """X25519 from each side's published private key and the other's public key."""
    client = X25519PrivateKey.from_private_bytes(bytes.fromhex(CLIENT_X25519_PRIVATE))
    server = X25519PrivateKey.from_private_bytes(bytes.fromhex(SERVER_X25519_PRIVATE))
    server_public = X25519PublicKey.from_public_bytes(bytes.fromhex(SERVER_X25519_PUBLIC))
    client_public = X25519PublicKey.from_public_bytes(bytes.fromhex(CLIENT_X25519_PUBLIC))
    return client.exchange(server_public), server.exchange(client_public)


def computed_values() -> dict[str, bytes]:
    """Every value of ``PUBLISHED``, recomputed from the RFC 8448 inputs."""
    msgs = list(messages().values())
    hellos, up_to_cv, up_to_fin = msgs[:2], msgs[:5], msgs[:6]
    client_secret, _server_secret = shared_secrets()
    sched = ks.key_schedule(client_secret, hellos, up_to_fin)
    s_hs_key, s_hs_iv = ks.traffic_key_iv(sched.server_handshake_traffic_secret)
    s_ap_key, s_ap_iv = ks.traffic_key_iv(sched.server_application_traffic_secret)
    c_ap_key, c_ap_iv = ks.traffic_key_iv(sched.client_application_traffic_secret)
    return {
        "ECDHE shared secret": client_secret,
        "early secret": sched.early_secret,
        "derived (for handshake)": ks.derive_secret(sched.early_secret, "derived", []),
        "handshake secret": sched.handshake_secret,
        "c hs traffic": sched.client_handshake_traffic_secret,
        "s hs traffic": sched.server_handshake_traffic_secret,
        "server handshake key": s_hs_key,
        "server handshake iv": s_hs_iv,
        "server Finished verify_data": ks.finished_verify_data(
            sched.server_handshake_traffic_secret, ks.transcript_hash(up_to_cv)),
        "master secret": sched.master_secret,
        "c ap traffic": sched.client_application_traffic_secret,
        "s ap traffic": sched.server_application_traffic_secret,
        "exp master": sched.exporter_master_secret,
        "server application key": s_ap_key,
        "server application iv": s_ap_iv,
        "client application key": c_ap_key,
        "client application iv": c_ap_iv,
    }


def reproduce() -> list[dict[str, object]]:
    """One row per published value: its name, first bytes, and whether we matched it."""
    computed = computed_values()
    return [{"value": name, "published (first 8 bytes)": published[:16] + "...",
             "bytes": len(published) // 2,
             "reproduced": computed[name].hex() == published}
            for name, published in PUBLISHED.items()]
