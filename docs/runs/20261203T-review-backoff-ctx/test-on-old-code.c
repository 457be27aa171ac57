/*
 * A refusal of the caller's context (nfs's access cache refuses anything
 * short of GFP_KERNEL) backs off that context and the more restricted
 * one, never GFP_KERNEL reclaim, nor the drain that does the refused
 * work and that OOM waits on.
 */
static void nofs_refusal_spares_freer_contexts(struct kunit *test)
{
	struct fake_cache c = { .objects = 10000, .refuse_nofs = true };
	struct shrinker *s = fake_shrinker(test, &c, 0);
	struct shrinker_instance *inst = shrinker_own_instance(s, 0);
	struct shrinker_pass p;
	unsigned long left;

	pass(s, GFP_NOFS, 4, &p);
	KUNIT_ASSERT_EQ(test, c.nofs_refused, 1UL);
	KUNIT_ASSERT_GT(test, inst->deferred.nr, 0UL);
	KUNIT_EXPECT_TRUE(test, shrinker_queue_draining(inst, jiffies));

	left = c.objects;
	pass(s, GFP_KERNEL, 4, &p);
	KUNIT_EXPECT_FALSE(test, p.skipped);
	KUNIT_EXPECT_LT(test, c.objects, left);
	KUNIT_EXPECT_EQ(test, c.nofs_refused, 1UL);

	shrinker_free(s);
}

