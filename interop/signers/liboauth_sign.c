/* Sign the corpus cases with liboauth (Debian liboauth-dev): oauth_sign_url2, its main call.
 *
 *   gcc -O1 -o liboauth_sign liboauth_sign.c $(pkg-config --cflags --libs oauth)
 *   ./liboauth_sign RSA_KEY.pem < cases.tsv
 *
 * Input, one case a line, tab-separated (interop/generate.py writes it):
 *   id method url body|- content_type|- signature_method consumer_key consumer_secret token|-
 *   token_secret timestamp nonce
 * The application hands liboauth one URL holding every parameter: for a form POST, the form's
 * parameters are appended to the URL's query and liboauth returns them (oauth ones included) as
 * the body; otherwise the oauth parameters end up in the returned URL's query. The timestamp and
 * nonce are given as oauth_timestamp and oauth_nonce in that URL (liboauth adds its own only when
 * they are absent). Output, one line a case: id, then "url<TAB>body" or "!error".
 */
#include <stddef.h> /* oauth.h uses size_t without including it */
#include <oauth.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELDS 12

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)n + 1);
    if (fread(text, 1, (size_t)n, f) != (size_t)n) { fclose(f); free(text); return NULL; }
    text[n] = '\0';
    fclose(f);
    return text;
}

int main(int argc, char **argv) {
    char *pem = argc > 1 ? read_file(argv[1]) : NULL;
    static char line[65536];
    printf("version\t%s\n", LIBOAUTH_VERSION);
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = '\0';
        char *field[FIELDS];
        int count = 0;
        for (char *p = strtok(line, "\t"); p && count < FIELDS; p = strtok(NULL, "\t")) field[count++] = p;
        if (count != FIELDS) { fprintf(stderr, "bad line (%d fields)\n", count); return 2; }
        const char *id = field[0], *method = field[1], *url = field[2], *body = field[3];
        const char *ctype = field[4], *sigm = field[5];
        const char *ck = field[6], *cs = field[7], *tok = field[8], *ts = field[9];
        int is_form = strcmp(ctype, "application/x-www-form-urlencoded") == 0;
        OAuthMethod om;
        if (strcmp(sigm, "HMAC-SHA1") == 0) om = OA_HMAC;
        else if (strcmp(sigm, "RSA-SHA1") == 0) { om = OA_RSA; cs = pem; }
        else if (strcmp(sigm, "PLAINTEXT") == 0) om = OA_PLAINTEXT;
        else { printf("%s\t!liboauth %s has no %s\n", id, LIBOAUTH_VERSION, sigm); continue; }
        if (strcmp(tok, "-") == 0) { tok = NULL; ts = NULL; }
        size_t size = strlen(url) + strlen(body) + 256;
        char *full = malloc(size);
        snprintf(full, size, "%s%s%s%soauth_timestamp=%s&oauth_nonce=%s", url,
                 strchr(url, '?') ? "&" : "?",
                 is_form && strcmp(body, "-") != 0 ? body : "",
                 is_form && strcmp(body, "-") != 0 ? "&" : "",
                 field[10], field[11]);
        char *postargs = NULL;
        char *signed_url = oauth_sign_url2(full, is_form ? &postargs : NULL, om, method, ck, cs, tok, ts);
        if (!signed_url) { printf("%s\t!oauth_sign_url2 returned NULL\n", id); free(full); continue; }
        printf("%s\t%s\t%s\n", id, signed_url, postargs ? postargs : "-");
        free(signed_url);
        free(postargs);
        free(full);
    }
    return 0;
}
