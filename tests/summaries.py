"""Factories write rows directly (no service); the ones whose rows feed a summary table refresh it as the services
do, so the data a test builds is what the portal would hold (core.summaries)."""
import factory


class KeepsSummaries(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = super()._create(model_class, *args, **kwargs)
        cls.refresh_summary(obj)
        return obj

    @classmethod
    def refresh_summary(cls, obj) -> None:
        raise NotImplementedError
