/* tarout.c — see tarout.h. */
#include "tarout.h"
#include "crypto.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <gcrypt.h>
#include <string.h>
#include <unistd.h>

static la_ssize_t t_write(struct archive *a, void *ctx, const void *buf, size_t n)
{
	(void)a;
	tarout *t = ctx;
	const char *p = buf;
	size_t left = n;
	while (left) {
		ssize_t k = write(t->fd, p, left);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			t->failed_errno = errno;
			return -1;
		}
		p += k;
		left -= (size_t)k;
	}
	gcry_md_write((gcry_md_hd_t)t->md, buf, n);
	t->bytes += (long long)n;
	return (la_ssize_t)n;
}

int tarout_open(tarout *t, int fd, time_t mtime)
{
	memset(t, 0, sizeof *t);
	t->fd = fd;
	t->mtime = mtime;
	gcry_md_hd_t md;
	if (gcry_md_open(&md, GCRY_MD_SHA256, 0))
		return -1;
	t->md = md;
	t->a = archive_write_new();
	/* pax: no size limit on members, exact names; no compression, so that a
	 * reader gets a plain stream */
	if (!t->a || archive_write_set_format_pax_restricted(t->a) != ARCHIVE_OK ||
	    archive_write_set_bytes_in_last_block(t->a, 1) != ARCHIVE_OK ||
	    archive_write_open2(t->a, t, NULL, t_write, NULL, NULL) != ARCHIVE_OK)
		return -1;
	return 0;
}

static int header(tarout *t, const char *name, long long size)
{
	struct archive_entry *e = archive_entry_new();
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0600);
	archive_entry_set_size(e, (la_int64_t)size);
	archive_entry_set_mtime(e, t->mtime, 0);
	int r = archive_write_header(t->a, e);
	archive_entry_free(e);
	return r == ARCHIVE_OK ? 0 : -1;
}

int tarout_member(tarout *t, const char *name, const void *data, size_t n)
{
	if (header(t, name, (long long)n) != 0)
		return -1;
	return n == 0 || archive_write_data(t->a, data, n) == (la_ssize_t)n ? 0 : -1;
}

int tarout_file(tarout *t, const char *name, int fd, long long size, unsigned char *buf, size_t bufsz,
                char hex[65])
{
	if (header(t, name, size) != 0)
		return TAROUT_EWRITE;
	gcry_md_hd_t md;
	if (gcry_md_open(&md, GCRY_MD_SHA256, 0))
		return TAROUT_EWRITE;
	long long done = 0;
	int rc = 0;
	while (done < size) {
		size_t want = (unsigned long long)(size - done) < bufsz ? (size_t)(size - done) : bufsz;
		ssize_t k = read(fd, buf, want);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (k == 0)
				errno = 0;
			rc = TAROUT_EREAD;
			break;
		}
		gcry_md_write(md, buf, (size_t)k);
		if (archive_write_data(t->a, buf, (size_t)k) != k) {
			rc = TAROUT_EWRITE;
			break;
		}
		done += k;
	}
	if (rc == 0)
		crypto_hex(gcry_md_read(md, GCRY_MD_SHA256), 32, hex);
	gcry_md_close(md);
	return rc;
}

int tarout_close(tarout *t, char sha256[65])
{
	if (archive_write_close(t->a) != ARCHIVE_OK || t->failed_errno)
		return -1;
	crypto_hex(gcry_md_read((gcry_md_hd_t)t->md, GCRY_MD_SHA256), 32, sha256);
	return 0;
}

const char *tarout_error(tarout *t)
{
	if (t->failed_errno)
		return strerror(t->failed_errno);
	if (!t->md)
		return "libgcrypt could not hash";
	const char *e = t->a ? archive_error_string(t->a) : NULL;
	return e ? e : "libarchive";
}

void tarout_free(tarout *t)
{
	if (t->a)
		archive_write_free(t->a);
	if (t->md)
		gcry_md_close((gcry_md_hd_t)t->md);
	t->a = NULL;
	t->md = NULL;
}
