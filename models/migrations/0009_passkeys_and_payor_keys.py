from tortoise import migrations
from tortoise.migrations import operations as ops
from models.enums import MfaMethod
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('twofold', '0008_trusted_browsers')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PasskeyChallenge',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('challenge_hmac', fields.CharField(unique=True, max_length=64)),
                ('expires_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'passkey_challenge', 'app': 'twofold', 'pk_attr': 'id', 'table_description': 'One open passkey sign-in challenge: only its keyed hash, deleted when answered.'},
            bases=['Model'],
        ),
        # User.preferred_method's enum description: see 0007.
        ops.AddField(
            model_name='Company',
            name='require_security_key_for_payors',
            field=fields.BooleanField(default=False, description='Payors must use a security key or passkey (a phishing-resistant factor).', db_default=False),
        ),
    ]
