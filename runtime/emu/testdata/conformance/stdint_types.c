/* Exact-width stdint types: wraparound on store, sign extension on load,
 * mixing widths, and pointer-sized integers. */
#include <stdio.h>
#include <stdint.h>
#include <stddef.h>

static uint16_t checksum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t crc32(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffffu;
	while (n--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0xedb88320u : crc >> 1;
	}
	return ~crc;
}

int main(void)
{
	int8_t i8 = -100;
	uint8_t u8 = (uint8_t)i8;
	int16_t i16 = i8;
	uint16_t u16 = (uint16_t)i8;
	int32_t i32 = u16;
	uint64_t u64 = (uint64_t)i16;
	printf("i8=%d u8=%u i16=%d u16=%u i32=%d u64=%llx\n", i8, u8, i16, u16, i32, (unsigned long long)u64);
	i8 = (int8_t)(i8 - 100);
	printf("i8-100 stored=%d\n", i8);
	u8 = (uint8_t)(u8 * 3);
	printf("u8*3 stored=%u\n", u8);
	int32_t a = INT32_MAX;
	int64_t wide = (int64_t)a + 1;
	printf("wide=%lld\n", (long long)wide);
	uint8_t packet[] = {0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7};
	printf("ip checksum=%04x\n", checksum(packet, sizeof packet));
	const char *msg = "The quick brown fox jumps over the lazy dog";
	size_t len = 0;
	while (msg[len])
		len++;
	printf("crc32=%08x\n", crc32((const uint8_t *)msg, len));
	uint32_t word = 0;
	for (int i = 0; i < 4; i++)
		word |= (uint32_t)packet[i] << (8 * i);
	printf("little-endian word=%08x\n", word);
	uint8_t bytes[4];
	uint32_t v = 0xcafebabe;
	for (int i = 0; i < 4; i++)
		bytes[i] = (uint8_t)(v >> (24 - 8 * i));
	printf("big-endian bytes=%02x %02x %02x %02x\n", bytes[0], bytes[1], bytes[2], bytes[3]);
	intptr_t ip = -8;
	uintptr_t up = (uintptr_t)ip;
	printf("intptr=%ld uintptr=%lx\n", (long)ip, (unsigned long)up);
	int arr[4];
	uintptr_t base = (uintptr_t)&arr[0], third = (uintptr_t)&arr[3];
	printf("uintptr distance=%lu aligned=%d\n", (unsigned long)(third - base), (int)(base % sizeof(int)));
	int_least16_t l16 = 1000;
	uint_fast32_t f32 = 70000;
	printf("least/fast=%d %lu size %zu\n", l16, (unsigned long)f32, sizeof l16);
	return 0;
}
