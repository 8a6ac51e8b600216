/* eng_plan.c — event + rules → plan (see eng.h).  Pure: no syscalls.
 *
 * Owns the busybox mdev semantics of applying rules: the device name is
 * DEVNAME or the last DEVPATH component; the node type is block for the
 * block subsystem, char otherwise; with no matching rule the node is made
 * 0:0 0660; '!' suppresses nodes for the rest of the event, as in busybox.
 * Every name that becomes a path passes dev_path_ok() after %N
 * substitution, or the step is dropped and counted as unsafe.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "eng.h"

/* Event keys passed to commands.  Everything else in an event stays out of
 * the environment, whatever it is called. */
static const char *const env_keys[] = {
	"ACTION", "DEVPATH", "SUBSYSTEM", "DEVTYPE", "MAJOR", "MINOR", "SEQNUM",
	"MODALIAS", "INTERFACE", "IFINDEX", "DRIVER", "FIRMWARE", "PRODUCT", "TYPE",
	"PHYSDEVPATH", "PHYSDEVBUS", "PHYSDEVDRIVER", "DEVMODE", "DEVUID", "DEVGID",
	"DISKSEQ", "PARTN", "PARTNAME", "NPARTS", "BUSNUM", "DEVNUM", "SYNTH_UUID",
	"DEVPATH_OLD", "ID_NET_NAME", "NAME", "DEVICE",
};

static const char *ev_get(void *arg, const char *key)
{
	return uev_get(arg, key);
}

static int parse_uint(const char *s, unsigned *out)
{
	unsigned long v = 0;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 0xfffffffUL)
			return -1;
		v = v * 10 + (unsigned)(*s - '0');
	}
	*out = (unsigned)v;
	return 0;
}

static struct eng_step *add_step(struct eng_plan *p, enum eng_kind kind, unsigned line)
{
	struct eng_step *s;

	if (p->nsteps == p->cap) {
		unsigned cap = p->cap ? p->cap * 2 : 8;
		void *n = realloc(p->steps, cap * sizeof *p->steps);

		if (!n)
			return NULL;
		p->steps = n;
		p->cap = cap;
	}
	s = &p->steps[p->nsteps++];
	memset(s, 0, sizeof *s);
	s->kind = kind;
	s->rule_line = line;
	return s;
}

static int set_str(char **dst, const char *src)
{
	*dst = strdup(src);
	return *dst ? 0 : -ENOMEM;
}

/* `modprobe [-x...] "$MODALIAS"` (quotes and braces optional). */
static int is_modprobe_modalias(const char *c)
{
	while (*c == ' ' || *c == '\t')
		c++;
	if (strncmp(c, "modprobe", 8) || (c[8] != ' ' && c[8] != '\t'))
		return 0;
	c += 8;
	for (;;) {
		while (*c == ' ' || *c == '\t')
			c++;
		if (*c != '-')
			break;
		c++;
		while ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z'))
			c++;
		if (*c && *c != ' ' && *c != '\t')
			return 0;
	}
	if (!strncmp(c, "\"$MODALIAS\"", 11))
		c += 11;
	else if (!strncmp(c, "\"${MODALIAS}\"", 13))
		c += 13;
	else if (!strncmp(c, "$MODALIAS", 9))
		c += 9;
	else if (!strncmp(c, "${MODALIAS}", 11))
		c += 11;
	else
		return 0;
	while (*c == ' ' || *c == '\t')
		c++;
	return !*c;
}

static int env_add(char ***env, size_t *n, const char *key, const char *val)
{
	size_t kl = strlen(key), vl = strlen(val);
	char *s, **ne;
	const char *c;

	for (c = val; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return 0;	/* no control characters into a shell's env */
	ne = realloc(*env, (*n + 2) * sizeof *ne);
	if (!ne)
		return -ENOMEM;
	*env = ne;
	s = malloc(kl + vl + 2);
	if (!s)
		return -ENOMEM;
	memcpy(s, key, kl);
	s[kl] = '=';
	memcpy(s + kl + 1, val, vl + 1);
	ne[(*n)++] = s;
	ne[*n] = NULL;
	return 0;
}

/* MDEV (the node a command's rule placed) is added per command at spawn. */
static int build_env(struct eng_plan *p, const struct uevent *ev, const char *devname)
{
	size_t n = 0, i;
	int r = 0;

	r |= env_add(&p->env, &n, "PATH", "/sbin:/bin:/usr/sbin:/usr/bin");
	r |= env_add(&p->env, &n, "HOME", "/");
	for (i = 0; i < sizeof env_keys / sizeof *env_keys; i++) {
		const char *v = uev_get(ev, env_keys[i]);

		if (v)
			r |= env_add(&p->env, &n, env_keys[i], v);
	}
	if (!uev_get(ev, "DEVNAME"))
		r |= env_add(&p->env, &n, "DEVNAME", devname);
	else
		r |= env_add(&p->env, &n, "DEVNAME", uev_get(ev, "DEVNAME"));
	return r ? -ENOMEM : 0;
}

void eng_plan_free(struct eng_plan *p)
{
	unsigned i;

	if (!p)
		return;
	for (i = 0; i < p->nsteps; i++) {
		free(p->steps[i].path);
		free(p->steps[i].target);
	}
	if (p->env)
		for (i = 0; p->env[i]; i++)
			free(p->env[i]);
	free(p->env);
	free(p->steps);
	free(p->devpath);
	free(p->action);
	free(p);
}

enum op { OP_ADD, OP_REMOVE, OP_CHANGE, OP_OTHER };

struct ctx {
	struct eng_plan *p;
	const struct uevent *ev;
	const struct rule *ru;		/* NULL: the implicit final rule */
	const struct rule_hit *hit;
	const char *devname, *node;
	char place;
	int has_dev;
	unsigned maj, min;
	mode_t type;
	enum op op;
	dev_t rootdev;
	unsigned *bad;
};

static int plan_nodes(struct ctx *c)
{
	struct eng_plan *p = c->p;
	const struct rule *ru = c->ru;
	unsigned line = ru ? ru->line : 0;
	char tgt[PATH_MAX];
	struct eng_step *s;
	unsigned i;

	if (c->op == OP_REMOVE) {
		/* busybox unlinks the name even without a device number; the
		 * kernel's remove events for nodes always carry MAJOR/MINOR, so
		 * without them (net devices, queues) nothing is removed: a node
		 * of another device that happens to share the name stays */
		if (!c->has_dev)
			return 0;
		if (c->place == '>') {
			if (dev_link_target(c->devname, c->node, tgt, sizeof tgt) < 0) {
				(*c->bad)++;
				return 0;
			}
			if (!(s = add_step(p, ES_RMLINK, line)) || set_str(&s->path, c->devname) ||
			    set_str(&s->target, tgt))
				return -ENOMEM;
		}
		if (!(s = add_step(p, ES_RMNODE, line)) || set_str(&s->path, c->node))
			return -ENOMEM;
		s->type = c->type;
		s->dev = makedev(c->maj, c->min);
		return 0;
	}
	if (!c->has_dev || (c->op != OP_ADD && c->op != OP_CHANGE))
		return 0;
	/* a later rule for the same path overrides owner and mode */
	for (i = 0; i < p->nsteps; i++)
		if (p->steps[i].kind == ES_NODE && !strcmp(p->steps[i].path, c->node))
			break;
	s = i < p->nsteps ? &p->steps[i] : add_step(p, ES_NODE, line);
	if (!s || (!s->path && set_str(&s->path, c->node)))
		return -ENOMEM;
	s->rule_line = line;
	s->type = c->type;
	s->dev = makedev(c->maj, c->min);
	s->mode = ru ? ru->mode : 0660;
	s->uid = ru ? ru->uid : 0;
	s->gid = ru ? ru->gid : 0;
	if (c->place == '>') {
		if (dev_link_target(c->devname, c->node, tgt, sizeof tgt) < 0) {
			(*c->bad)++;
			return 0;
		}
		if (!(s = add_step(p, ES_LINK, line)) || set_str(&s->path, c->devname) ||
		    set_str(&s->target, tgt))
			return -ENOMEM;
	}
	/* busybox mdev -s: "root" links to the device / is mounted from */
	if (c->rootdev && c->type == S_IFBLK && makedev(c->maj, c->min) == c->rootdev) {
		if (dev_link_target("root", c->node, tgt, sizeof tgt) < 0)
			return 0;
		if (!(s = add_step(p, ES_LINK, line)) || set_str(&s->path, "root") ||
		    set_str(&s->target, tgt))
			return -ENOMEM;
	}
	return 0;
}

static int plan_cmd(struct ctx *c)
{
	const struct rule *ru = c->ru;
	struct eng_step *s;
	char cmd[8192];
	const char *ma;

	if (!ru || !ru->cmd)
		return 0;
	if (!((ru->when == '@' && c->op == OP_ADD) || (ru->when == '$' && c->op == OP_REMOVE) ||
	      ru->when == '*'))
		return 0;
	if (rule_subst(ru->cmd, c->hit, cmd, sizeof cmd) < 0) {
		(*c->bad)++;
		return 0;
	}
	if (is_modprobe_modalias(cmd)) {
		ma = uev_get(c->ev, "MODALIAS");
		if (!ma || c->op == OP_REMOVE)
			return 0;
		if (!(s = add_step(c->p, ES_MODALIAS, ru->line)) || set_str(&s->target, ma))
			return -ENOMEM;
		return 0;
	}
	if (!(s = add_step(c->p, ES_CMD, ru->line)) || set_str(&s->target, cmd) ||
	    set_str(&s->path, c->node))
		return -ENOMEM;
	return 0;
}

/* "+KEY=VALUE" of the rule: a property step each, %N substituted. */
static int plan_props(struct ctx *c)
{
	const char *kv;
	char val[4096];

	if (!c->ru || !c->ru->props || c->op == OP_REMOVE)
		return 0;
	for (kv = c->ru->props; *kv; kv += strlen(kv) + 1) {
		const char *eq = strchr(kv, '=');
		struct eng_step *s;

		if (rule_subst(eq + 1, c->hit, val, sizeof val) < 0 || strchr(val, '\n')) {
			(*c->bad)++;
			continue;
		}
		if (!(s = add_step(c->p, ES_PROP, c->ru->line)) ||
		    !(s->path = strndup(kv, (size_t)(eq - kv))) || set_str(&s->target, val))
			return -ENOMEM;
	}
	return 0;
}

int eng_plan(const struct engine *e, const struct uevent *ev, struct eng_plan **out,
	     unsigned *unsafe)
{
	static const struct rule_set none;
	const struct rule_set *rs = e->rules ? e->rules : &none;
	struct rule_subject subj;
	struct rule_hit hit;
	struct eng_plan *p;
	struct eng_step *s;
	const char *slash;
	char alias[PATH_MAX];
	unsigned bad = 0;
	size_t pos = 0;
	int nodes = 1;
	struct ctx c;

	p = calloc(1, sizeof *p);
	if (!p)
		return -ENOMEM;
	if (set_str(&p->devpath, ev->devpath) || set_str(&p->action, ev->action))
		goto fail;
	p->seqnum = ev->seqnum;
	p->synthetic = !ev->seqnum || uev_get(ev, "SYNTH_UUID");
	memset(&c, 0, sizeof c);
	c.p = p;
	c.ev = ev;
	c.bad = &bad;
	c.rootdev = e->rootdev;
	c.op = !strcmp(ev->action, "add") ? OP_ADD : !strcmp(ev->action, "remove") ? OP_REMOVE :
	       !strcmp(ev->action, "change") || !strcmp(ev->action, "move") ? OP_CHANGE : OP_OTHER;
	slash = strrchr(ev->devpath, '/');
	c.devname = ev->devname ? ev->devname : slash ? slash + 1 : ev->devpath;
	c.has_dev = !parse_uint(uev_get(ev, "MAJOR"), &c.maj) &&
		    !parse_uint(uev_get(ev, "MINOR"), &c.min);
	/* kernel: block/genhd.c: disks and partitions are the block class */
	c.type = !strcmp(ev->subsystem, "block") ? S_IFBLK : S_IFCHR;
	subj.name = c.devname;
	subj.has_dev = c.has_dev;
	subj.maj = c.maj;
	subj.min = c.min;
	subj.get = ev_get;
	subj.arg = (void *)ev;

	/* the kernel waits for firmware: answer first, whatever the rules */
	if (c.op == OP_ADD && e->fwdir && uev_get(ev, "FIRMWARE")) {
		if (!(s = add_step(p, ES_FIRMWARE, 0)) || set_str(&s->target, uev_get(ev, "FIRMWARE")))
			goto fail;
	}
	for (;;) {
		/* busybox: running off the end of the rules (nothing matched, or
		 * only '-' rules did) reaches the implicit final rule 0:0 0660 */
		if (rule_next(rs, &pos, &subj, &hit))
			c.ru = hit.rule;
		else
			c.ru = NULL;
		c.hit = c.ru ? &hit : NULL;
		c.node = c.devname;
		c.place = 0;
		if (c.ru && c.ru->place == '!')
			nodes = 0;	/* busybox: no node for the rest of the event */
		if (c.ru && (c.ru->place == '=' || c.ru->place == '>')) {
			size_t al;

			if (rule_subst(c.ru->path, &hit, alias, sizeof alias) < 0)
				goto unsafe_name;
			al = strlen(alias);
			if (al && alias[al - 1] == '/') {	/* "dir/": keep the name */
				if (al + strlen(c.devname) >= sizeof alias)
					goto unsafe_name;
				strcat(alias, c.devname);
			}
			c.node = alias;
			c.place = c.ru->place;
		}
		if (!dev_path_ok(c.node) || !dev_path_ok(c.devname))
			goto unsafe_name;
		if (c.op == OP_REMOVE) {
			/* '$' runs before the node goes */
			if (plan_cmd(&c) || (nodes && plan_nodes(&c)))
				goto fail;
		} else {
			if ((nodes && plan_nodes(&c)) || plan_props(&c) || plan_cmd(&c))
				goto fail;
		}
		goto next;
	unsafe_name:
		bad++;
	next:
		if (!c.ru || !c.ru->keep)
			break;
	}
	if (build_env(p, ev, c.devname))
		goto fail;
	if (unsafe)
		*unsafe = bad;
	*out = p;
	return 0;
fail:
	eng_plan_free(p);
	return -ENOMEM;
}
