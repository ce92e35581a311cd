// SPDX-License-Identifier: GPL-2.0
/*
 * chbench.ko: /dev/chbench, a misc device. One open file is one session
 * (see chbench_ioctl.h); every ioctl checks its whole input before it
 * touches anything, and runs under the session's mutex.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/sched/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>

#include "kmod/chbench.h"

static_assert(sizeof(struct chb_info) == 400,
	      "struct chb_info: one size for every ABI (compat_ptr_ioctl)");

static int chb_open(struct inode *inode, struct file *file)
{
	struct chb_session *s;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	mutex_init(&s->lock);
	file->private_data = s;
	return 0;
}

/* The last reference is gone: no ioctl can be running. */
static int chb_release(struct inode *inode, struct file *file)
{
	struct chb_session *s = file->private_data;

	chb_unpin_all(s);
	if (s->mm)
		mmdrop(s->mm);
	mutex_destroy(&s->lock);
	kfree(s);
	return 0;
}

static void chb_info(struct chb_session *s, struct chb_info *info)
{
	memset(info, 0, sizeof(*info));
	info->abi = CHB_ABI;
	info->page_size = PAGE_SIZE;
	info->struct_page_size = sizeof(struct page);
	info->pg_head = PG_head;
	info->encoding = chb_encoding();
	info->hvo_key = chb_hvo_key();
	info->nr_funcs = chb_nr_funcs();
	info->max_ranges = CHB_MAX_RANGES;
	info->max_chunk = CHB_MAX_CHUNK;
	info->max_pages = CHB_MAX_PAGES;
	info->max_ops = CHB_MAX_OPS;
	info->pinned = atomic64_read(&chb_pinned);
	info->session_pages = s->nr_pages;
	strscpy(info->release, utsname()->release, sizeof(info->release));
	chb_variant_names(info);
}

/*
 * Copy the argument in, run @what, copy it back out: also on an error,
 * so user space can read where a walk went wrong.
 */
#define CHB_CALL(type, what)						\
({									\
	type arg;							\
	long r = -EFAULT;						\
									\
	if (!copy_from_user(&arg, uarg, sizeof(arg))) {			\
		r = what;						\
		if (copy_to_user(uarg, &arg, sizeof(arg)))		\
			r = -EFAULT;					\
	}								\
	r;								\
})

static long chb_ioctl(struct file *file, unsigned int cmd, unsigned long a)
{
	struct chb_session *s = file->private_data;
	void __user *uarg = (void __user *)a;
	long ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (mutex_lock_interruptible(&s->lock))
		return -ERESTARTSYS;
	switch (cmd) {
	case CHB_IOC_INFO: {
		struct chb_info *info = kmalloc(sizeof(*info), GFP_KERNEL);

		ret = -ENOMEM;
		if (info) {
			chb_info(s, info);
			ret = copy_to_user(uarg, info, sizeof(*info)) ?
			      -EFAULT : 0;
			kfree(info);
		}
		break;
	}
	case CHB_IOC_FUNC:
		ret = CHB_CALL(struct chb_func, chb_func(&arg));
		break;
	case CHB_IOC_PIN:
		ret = CHB_CALL(struct chb_pin, chb_pin(s, &arg));
		break;
	case CHB_IOC_UNPIN:
		chb_unpin_all(s);
		ret = 0;
		break;
	case CHB_IOC_INSPECT: {
		struct chb_inspect in;

		ret = copy_from_user(&in, uarg, sizeof(in)) ? -EFAULT :
		      chb_inspect(s, &in);
		break;
	}
	case CHB_IOC_WALK:
		ret = CHB_CALL(struct chb_walk, chb_set_walk(s, &arg));
		break;
	case CHB_IOC_RUN:
		ret = CHB_CALL(struct chb_run, chb_run(s, &arg));
		break;
	default:
		ret = -ENOTTY;
	}
	mutex_unlock(&s->lock);
	return ret;
}

static const struct file_operations chb_fops = {
	.owner		= THIS_MODULE,
	.open		= chb_open,
	.release	= chb_release,
	.unlocked_ioctl	= chb_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice chb_misc = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "chbench",
	.fops	= &chb_fops,
	.mode	= 0600,
};

static int __init chb_init(void)
{
	int ret = chb_check_encoding();

	return ret ? ret : misc_register(&chb_misc);
}

static void __exit chb_exit(void)
{
	misc_deregister(&chb_misc);
	/* a session holds a module reference: none can be left */
	WARN_ON(atomic64_read(&chb_pinned));
}

module_init(chb_init);
module_exit(chb_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("chbench: time compound_head() on the real vmemmap");
MODULE_AUTHOR("chbench developers");
